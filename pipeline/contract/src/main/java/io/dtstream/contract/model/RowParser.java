package io.dtstream.contract.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Parses DAQ lines {@code HEAD,FPGA,TDC_CHANNEL,ORBIT_CNT,BX_COUNTER,TDC_MEAS} by the exact rules
 * of README, "Parsing rules". It never throws: bad input becomes a malformed row with a reason.
 *
 * <p>One set of rules, two front ends: {@link #scan} walks the bytes of a Kafka record (one row,
 * or several separated by line breaks) and hands each row's fields to a {@link RowSink} as
 * primitives, with no object per row; {@link #parse} returns one line as a {@link ParsedRow}.
 * Hand-written rather than split/regex because it runs once per row at up to 10^6 rows/s: the
 * String front end (a substring and a record object per row) ran at ~780,000 rows/s in the work
 * limit of {@code bench throughput}, the byte scanner at about 2,000,000 (README, "The engine,
 * step by step").
 */
public final class RowParser {
  public static final long MAX_ORBIT = 0xFFFF_FFFFL;
  public static final int MAX_BX = DetectorClock.BX_PER_ORBIT - 1;
  public static final int MAX_HIT_TDC = 31;
  public static final int FIELDS = 6;

  private static final long NOT_AN_INTEGER = -1;
  private static final int NOT_A_DECIMAL = -2;
  private static final int NOT_A_HIT_TDC = -1;
  /** What {@link #parseLine} found: a row handed to the sink (a hit, or another), or none. */
  private static final int HIT = 0;

  private static final int OTHER_ROW = 1;
  private static final int BLANK = 2;
  private static final int HEADER = 3;
  /** {@link #parsePlainLine} handed nothing over: the line is for the full rules. */
  private static final int NOT_PLAIN = 4;
  /** {@link #parsePlainLine} returns where it stopped, shifted by these bits, and what it found. */
  private static final int KIND_BITS = 3;

  private static final long KIND_MASK = (1 << KIND_BITS) - 1;
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  /** A plain field has at most this many digits, so its value fits a long. */
  private static final int PLAIN_DIGITS = 18;


  private RowParser() {}

  /** Receives the rows of {@link #scan}, in order. Header and blank lines are not rows. */
  public interface RowSink {
    /** A hit (HEAD 2); {@code channel} saturates at {@link Integer#MAX_VALUE}. */
    void hit(int fpga, int channel, long orbit, int bx, int tdc);

    /** An ancillary word (HEAD 0, 1, 3, 4 or 5); {@code bx} saturates at {@link Long#MAX_VALUE}. */
    void ancillary(int head, long orbit, long bx);

    /** A line that breaks the rules: its text (decoded as UTF-8) and why. */
    void malformed(String line, String reason);
  }

  /**
   * The rows of a Kafka record (one row, or several): lines end at \n, \r or \r\n, as TextIO
   * reads files; the empty line inside \r\n is a blank line, skipped.
   */
  public static void scan(byte[] record, RowSink sink) {
    scan(record, sink, false);
  }

  /**
   * Like {@link #scan}, but once a hit has been handed over, lines that start with {@code 2,} (hits,
   * or malformed hits: never ancillary words) are skipped unparsed, so a record's first hit and its
   * ancillary words cost little more than finding its line breaks. For the watermark, which
   * needs only those; malformed lines other than those skipped still reach the sink.
   */
  public static void scanFirstHitAndAncillary(byte[] record, RowSink sink) {
    scan(record, sink, true);
  }

  private static void scan(byte[] record, RowSink sink, boolean onlyFirstHit) {
    int[] bounds = new int[2 * FIELDS];
    boolean hitSeen = false;
    for (int from = 0; from <= record.length; ) {
      int end;
      if (onlyFirstHit && hitSeen && from + 1 < record.length && record[from] == '2' && record[from + 1] == ',') {
        end = lineEnd(record, from + 2);
      } else {
        long plain = parsePlainLine(record, from, sink);
        end = (int) (plain >>> KIND_BITS);
        int found = (int) (plain & KIND_MASK);
        if (found == NOT_PLAIN) {
          end = lineEnd(record, end);
          found = parseLine(record, from, end, bounds, sink);
        }
        hitSeen |= found == HIT;
      }
      from = end + 1;
    }
  }

  /**
   * Where the line that holds {@code i} ends: the first \n or \r from {@code i} on, or the
   * record's end. Eight bytes at a time (a line is some 30): the per-byte search was most of the
   * watermark's scan of each record, 6.5 % of the FlinkRunner's CPU in a profile of bench
   * throughput.
   */
  private static int lineEnd(byte[] b, int i) {
    for (; i + Long.BYTES <= b.length; i += Long.BYTES) {
      long word = (long) LONGS.get(b, i);
      long breaks = zeroBytes(word ^ 0x0A0A0A0A0A0A0A0AL) | zeroBytes(word ^ 0x0D0D0D0D0D0D0D0DL);
      if (breaks != 0) {
        // little-endian: the lowest marked byte is the first in the record
        return i + Long.numberOfTrailingZeros(breaks) / Byte.SIZE;
      }
    }
    while (i < b.length && b[i] != '\n' && b[i] != '\r') {
      i++;
    }
    return i;
  }

  /**
   * The high bit of each zero byte of {@code word} set, exact up to and including its lowest zero
   * byte (a byte above a zero one may be marked too, which the caller never looks at).
   */
  private static long zeroBytes(long word) {
    return (word - 0x0101010101010101L) & ~word & 0x8080808080808080L;
  }

  /** One line (no line breaks in it) as a hit, an ancillary row, a malformed row or skipped. */
  public static ParsedRow parse(String line) {
    ParsedRow[] row = new ParsedRow[1];
    RowSink collect =
        new RowSink() {
          @Override
          public void hit(int fpga, int channel, long orbit, int bx, int tdc) {
            row[0] = new Hit(fpga, channel, orbit, bx, tdc);
          }

          @Override
          public void ancillary(int head, long orbit, long bx) {
            row[0] = new Ancillary(head, orbit, bx);
          }

          @Override
          public void malformed(String text, String reason) {
            row[0] = new Malformed(line, reason); // the line as given, whatever its encoding
          }
        };
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    int found = parseLine(bytes, 0, bytes.length, new int[2 * FIELDS], collect);
    return found == BLANK ? Skipped.BLANK : found == HEADER ? Skipped.HEADER : row[0];
  }

  /**
   * The usual line, six fields of plain digits that pass every check, read in one pass up to its
   * line break and handed to the sink ({@link #HIT} or {@link #OTHER_ROW}); anything else
   * (spaces, signs, decimals, a header, a value out of range: every malformed line) is left to
   * {@link #parseLine} and its reasons ({@link #NOT_PLAIN}). Returns where it stopped (the line's
   * end, or the first byte that is not plain) shifted by {@link #KIND_BITS}, with what it found.
   * Finding the line's end, then the fields' bounds, then the digits cost the pipeline 14 % of
   * its CPU in a profile of bench throughput on the FlinkRunner.
   */
  private static long parsePlainLine(byte[] b, int from, RowSink sink) {
    long head = 0;
    long fpga = 0;
    long channel = 0;
    long orbit = 0;
    long bx = 0;
    int field = 0;
    int digits = 0;
    long value = 0;
    int i = from;
    for (; i < b.length && b[i] != '\n' && b[i] != '\r'; i++) {
      int digit = b[i] - '0';
      if (digit >= 0 && digit <= 9) {
        value = value * 10 + digit;
        if (++digits > PLAIN_DIGITS) {
          return notPlain(i);
        }
      } else if (b[i] == ',' && digits > 0 && field < FIELDS - 1) {
        switch (field++) {
          case 0 -> head = value;
          case 1 -> fpga = value;
          case 2 -> channel = value;
          case 3 -> orbit = value;
          default -> bx = value;
        }
        digits = 0;
        value = 0;
      } else {
        return notPlain(i);
      }
    }
    if (field != FIELDS - 1 || digits == 0) {
      return notPlain(i);
    }
    long tdc = value;
    if (head > 5 || orbit > MAX_ORBIT) {
      return notPlain(i);
    }
    if (head != 2) {
      sink.ancillary((int) head, orbit, bx);
      return (long) i << KIND_BITS | OTHER_ROW;
    }
    if (fpga > 1 || bx > MAX_BX || tdc > MAX_HIT_TDC) {
      return notPlain(i);
    }
    sink.hit((int) fpga, (int) Math.min(channel, Integer.MAX_VALUE), orbit, (int) bx, (int) tdc);
    return (long) i << KIND_BITS | HIT;
  }

  /** What {@link #parsePlainLine} returns when it stopped at {@code i}, handing nothing over. */
  private static long notPlain(int i) {
    return (long) i << KIND_BITS | NOT_PLAIN;
  }

  private static int parseLine(byte[] b, int from, int to, int[] bounds, RowSink sink) {
    int fields = 0;
    int position = from;
    while (true) {
      int comma = indexOfComma(b, position, to);
      int end = comma < 0 ? to : comma;
      if (fields < FIELDS) {
        int start = skipSpaceForward(b, position, end);
        bounds[2 * fields] = start;
        bounds[2 * fields + 1] = skipSpaceBackward(b, start, end);
      }
      fields++;
      if (comma < 0) {
        break;
      }
      position = comma + 1;
    }
    if (fields == 1 && bounds[0] == bounds[1]) {
      return BLANK;
    }
    if (bounds[1] - bounds[0] == 4
        && b[bounds[0]] == 'H' && b[bounds[0] + 1] == 'E' && b[bounds[0] + 2] == 'A' && b[bounds[0] + 3] == 'D') {
      return HEADER;
    }
    return parseFields(b, from, to, fields, bounds, sink);
  }

  /** Hands the row to the sink: a hit ({@link #HIT}), an ancillary word or a malformed line. */
  private static int parseFields(byte[] b, int from, int to, int fields, int[] bounds, RowSink sink) {
    if (fields != FIELDS) {
      return malformed(b, from, to, sink, "expected 6 fields, found " + fields);
    }
    long head = parseNonNegative(b, bounds[0], bounds[1]);
    if (head == NOT_AN_INTEGER) {
      return malformed(b, from, to, sink, "HEAD is not a non-negative integer");
    }
    if (head > 5) {
      return malformed(b, from, to, sink, "HEAD " + head + " is outside 0-5");
    }
    long fpga = parseNonNegative(b, bounds[2], bounds[3]);
    if (fpga == NOT_AN_INTEGER) {
      return malformed(b, from, to, sink, "FPGA is not a non-negative integer");
    }
    long channel = parseNonNegative(b, bounds[4], bounds[5]);
    if (channel == NOT_AN_INTEGER) {
      return malformed(b, from, to, sink, "TDC_CHANNEL is not a non-negative integer");
    }
    long orbit = parseNonNegative(b, bounds[6], bounds[7]);
    if (orbit == NOT_AN_INTEGER) {
      return malformed(b, from, to, sink, "ORBIT_CNT is not a non-negative integer");
    }
    if (orbit > MAX_ORBIT) {
      return malformed(b, from, to, sink, "ORBIT_CNT is above 2^32-1");
    }
    long bx = parseNonNegative(b, bounds[8], bounds[9]);
    if (bx == NOT_AN_INTEGER) {
      return malformed(b, from, to, sink, "BX_COUNTER is not a non-negative integer");
    }
    int tdc = parseHitTdc(b, bounds[10], bounds[11]);
    if (tdc == NOT_A_DECIMAL) {
      return malformed(b, from, to, sink, "TDC_MEAS is not a decimal number");
    }
    if (head != 2) {
      sink.ancillary((int) head, orbit, bx);
      return OTHER_ROW;
    }
    if (fpga > 1) {
      return malformed(b, from, to, sink, "hit with FPGA " + fpga + ", not 0 or 1");
    }
    if (bx > MAX_BX) {
      return malformed(b, from, to, sink, "hit with BX_COUNTER " + bx + ", outside 0-3563");
    }
    if (tdc == NOT_A_HIT_TDC) {
      return malformed(b, from, to, sink, "hit with TDC_MEAS not a whole number 0-31");
    }
    sink.hit((int) fpga, (int) Math.min(channel, Integer.MAX_VALUE), orbit, (int) bx, tdc);
    return HIT;
  }

  private static int malformed(byte[] b, int from, int to, RowSink sink, String reason) {
    sink.malformed(new String(b, from, to - from, StandardCharsets.UTF_8), reason);
    return OTHER_ROW;
  }

  private static int indexOfComma(byte[] b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (b[i] == ',') {
        return i;
      }
    }
    return -1;
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\r';
  }

  /** U+FEFF, the byte-order mark, in UTF-8: spacing like a blank. */
  private static boolean isBomAt(byte[] b, int i) {
    return b[i] == (byte) 0xEF && b[i + 1] == (byte) 0xBB && b[i + 2] == (byte) 0xBF;
  }

  private static int skipSpaceForward(byte[] b, int from, int end) {
    while (from < end) {
      if (isSpace(b[from])) {
        from++;
      } else if (end - from >= 3 && isBomAt(b, from)) {
        from += 3;
      } else {
        break;
      }
    }
    return from;
  }

  private static int skipSpaceBackward(byte[] b, int start, int end) {
    while (end > start) {
      if (isSpace(b[end - 1])) {
        end--;
      } else if (end - start >= 3 && isBomAt(b, end - 3)) {
        end -= 3;
      } else {
        break;
      }
    }
    return end;
  }

  /** Digits only; values beyond a long saturate (the range checks then reject them). */
  private static long parseNonNegative(byte[] b, int start, int end) {
    if (start == end) {
      return NOT_AN_INTEGER;
    }
    long value = 0;
    for (int i = start; i < end; i++) {
      int digit = b[i] - '0';
      if (digit < 0 || digit > 9) {
        return NOT_AN_INTEGER;
      }
      value = value > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : value * 10 + digit;
    }
    return value;
  }

  /**
   * A decimal number {@code [+-]digits[.digits]} (or {@code [+-].digits}). Returns its value if it
   * is a whole number 0-31 (the only values a hit may carry), else {@link #NOT_A_HIT_TDC}, or
   * {@link #NOT_A_DECIMAL} if it is no decimal number at all.
   */
  private static int parseHitTdc(byte[] b, int start, int end) {
    int i = start;
    boolean negative = false;
    if (i < end && (b[i] == '+' || b[i] == '-')) {
      negative = b[i] == '-';
      i++;
    }
    long whole = 0;
    int digits = 0;
    for (; i < end && b[i] >= '0' && b[i] <= '9'; i++, digits++) {
      whole = Math.min(whole * 10 + (b[i] - '0'), 1_000_000);
    }
    boolean fractional = false;
    if (i < end && b[i] == '.') {
      for (i++; i < end && b[i] >= '0' && b[i] <= '9'; i++, digits++) {
        fractional |= b[i] != '0';
      }
    }
    if (digits == 0 || i != end) {
      return NOT_A_DECIMAL;
    }
    if (fractional || whole > MAX_HIT_TDC || (negative && whole != 0)) {
      return NOT_A_HIT_TDC;
    }
    return (int) whole;
  }
}
