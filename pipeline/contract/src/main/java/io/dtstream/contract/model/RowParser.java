package io.dtstream.contract.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses one DAQ line {@code HEAD,FPGA,TDC_CHANNEL,ORBIT_CNT,BX_COUNTER,TDC_MEAS} by the exact
 * rules of README, "Parsing rules". It never throws: bad input becomes a {@link Malformed} row with a
 * reason. Hand-written rather than split/regex because it runs once per row at up to 10^6 rows/s.
 */
public final class RowParser {
  public static final long MAX_ORBIT = 0xFFFF_FFFFL;
  public static final int MAX_BX = DetectorClock.BX_PER_ORBIT - 1;
  public static final int MAX_HIT_TDC = 31;
  public static final int FIELDS = 6;

  private static final long NOT_AN_INTEGER = -1;
  private static final int NOT_A_DECIMAL = -2;
  private static final int NOT_A_HIT_TDC = -1;

  private RowParser() {}

  /**
   * The lines of a Kafka record (one row, or several): lines end at \n, \r or \r\n, as TextIO
   * reads files; the empty line inside \r\n is a blank line, skipped by {@link #parse}.
   */
  public static List<String> lines(String record) {
    List<String> lines = new ArrayList<>(1);
    int from = 0;
    for (int i = 0; i < record.length(); i++) {
      char c = record.charAt(i);
      if (c == '\n' || c == '\r') {
        lines.add(record.substring(from, i));
        from = i + 1;
      }
    }
    lines.add(record.substring(from));
    return lines;
  }

  public static ParsedRow parse(String line) {
    int[] bounds = new int[2 * FIELDS];
    int fields = 0;
    int from = 0;
    while (true) {
      int comma = line.indexOf(',', from);
      int end = comma < 0 ? line.length() : comma;
      if (fields < FIELDS) {
        int start = skipSpaceForward(line, from, end);
        bounds[2 * fields] = start;
        bounds[2 * fields + 1] = skipSpaceBackward(line, start, end);
      }
      fields++;
      if (comma < 0) {
        break;
      }
      from = comma + 1;
    }
    if (fields == 1 && bounds[0] == bounds[1]) {
      return Skipped.BLANK;
    }
    if (line.regionMatches(bounds[0], "HEAD", 0, 4) && bounds[1] - bounds[0] == 4) {
      return Skipped.HEADER;
    }
    if (fields != FIELDS) {
      return new Malformed(line, "expected 6 fields, found " + fields);
    }

    long head = parseNonNegative(line, bounds[0], bounds[1]);
    if (head == NOT_AN_INTEGER) {
      return new Malformed(line, "HEAD is not a non-negative integer");
    }
    if (head > 5) {
      return new Malformed(line, "HEAD " + head + " is outside 0-5");
    }
    long fpga = parseNonNegative(line, bounds[2], bounds[3]);
    if (fpga == NOT_AN_INTEGER) {
      return new Malformed(line, "FPGA is not a non-negative integer");
    }
    long channel = parseNonNegative(line, bounds[4], bounds[5]);
    if (channel == NOT_AN_INTEGER) {
      return new Malformed(line, "TDC_CHANNEL is not a non-negative integer");
    }
    long orbit = parseNonNegative(line, bounds[6], bounds[7]);
    if (orbit == NOT_AN_INTEGER) {
      return new Malformed(line, "ORBIT_CNT is not a non-negative integer");
    }
    if (orbit > MAX_ORBIT) {
      return new Malformed(line, "ORBIT_CNT is above 2^32-1");
    }
    long bx = parseNonNegative(line, bounds[8], bounds[9]);
    if (bx == NOT_AN_INTEGER) {
      return new Malformed(line, "BX_COUNTER is not a non-negative integer");
    }
    int tdc = parseHitTdc(line, bounds[10], bounds[11]);
    if (tdc == NOT_A_DECIMAL) {
      return new Malformed(line, "TDC_MEAS is not a decimal number");
    }

    if (head != 2) {
      return new Ancillary((int) head, orbit, bx);
    }
    if (fpga > 1) {
      return new Malformed(line, "hit with FPGA " + fpga + ", not 0 or 1");
    }
    if (bx > MAX_BX) {
      return new Malformed(line, "hit with BX_COUNTER " + bx + ", outside 0-3563");
    }
    if (tdc == NOT_A_HIT_TDC) {
      return new Malformed(line, "hit with TDC_MEAS not a whole number 0-31");
    }
    return new Hit((int) fpga, (int) Math.min(channel, Integer.MAX_VALUE), orbit, (int) bx, tdc);
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\uFEFF';
  }

  private static int skipSpaceForward(String s, int from, int end) {
    while (from < end && isSpace(s.charAt(from))) {
      from++;
    }
    return from;
  }

  private static int skipSpaceBackward(String s, int start, int end) {
    while (end > start && isSpace(s.charAt(end - 1))) {
      end--;
    }
    return end;
  }

  /** Digits only; values beyond a long saturate (the range checks then reject them). */
  private static long parseNonNegative(String s, int start, int end) {
    if (start == end) {
      return NOT_AN_INTEGER;
    }
    long value = 0;
    for (int i = start; i < end; i++) {
      int digit = s.charAt(i) - '0';
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
  private static int parseHitTdc(String s, int start, int end) {
    int i = start;
    boolean negative = false;
    if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
      negative = s.charAt(i) == '-';
      i++;
    }
    long whole = 0;
    int digits = 0;
    for (; i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++, digits++) {
      whole = Math.min(whole * 10 + (s.charAt(i) - '0'), 1_000_000);
    }
    boolean fractional = false;
    if (i < end && s.charAt(i) == '.') {
      for (i++; i < end && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++, digits++) {
        fractional |= s.charAt(i) != '0';
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
