package io.dtstream.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hostile DAQ lines, the one generator of them for every module's tests, each with what the
 * parser must make of it, known by construction: {@link RowGenerator}'s valid rows and odd but
 * valid variants of them (spaces, tabs, BOMs, leading zeros, signs and trailing points, saturating
 * channel numbers, ancillary words with any BX_COUNTER), rows with fields dropped, added or swapped
 * for overflowing numbers, NaN, Infinity, signs, exponents, non-ASCII digits, control characters,
 * exotic spaces or other separators, binary garbage (NUL, invalid UTF-8, or bytes read as
 * Latin-1), random unicode, huge lines, blank and header lines. A line never holds \n or \r: those
 * end lines, and files get them (\n, \r\n or \r) from {@link #file}.
 *
 * <p>{@code new HostileLines(seed)} makes every kind, for files (the injector's tests). {@link
 * #forStream} makes lines for the streaming pipeline in detector time, held to {@link
 * ReferenceCount}: no valid row far from the run's time (it would open a window that closes only
 * when the watermark gets there, centuries later), none whose fate hangs on the parser taking a
 * BOM for a space (a leniency for files, beyond README's rules that the reference count follows),
 * and huge lines of at most 50,000 characters, since a few of them may share a Kafka record.
 */
public final class HostileLines {
  public enum Kind {
    /** A hit or ancillary row the parser accepts. */
    ROW,
    /** A line the parser rejects. */
    MALFORMED,
    /** A header or blank line, counted nowhere. */
    SKIPPED
  }

  public record Line(byte[] bytes, Kind kind) {
    public String text() {
      return new String(bytes, UTF_8);
    }
  }

  /** The longest line the injector must carry, in UTF-8 bytes (a Kafka record holds 1 MiB). */
  public static final int MAX_LINE_BYTES = 1_000_000;
  /** The detector time the valid rows span. */
  private static final int SECONDS = 20;

  /** No integer at all, wherever an integer or a decimal number is expected. */
  private static final String[] NOT_A_NUMBER = {
    "NaN", "Infinity", "-Infinity", "inf", "1e3", "0x10", "", "-", ".", "+", "1.5.5", "\uff11", "\u0663",
    "\u0661\u0662", "1\u00a0", "\u00a01", "\u202e1", "\"1\"", "null", "true", "1_000", "\u00bd", "\u2460",
    "1\u0000", "\u00001", "\u0301", "\ud835\udfd9" /* MATHEMATICAL DOUBLE-STRUCK DIGIT ONE */, "0.0000001e-9"
  };
  /** Integers that do not fit a field's range (ORBIT_CNT: 2^32-1; HEAD: 0-5). */
  private static final String[] OVERFLOWING = {
    "4294967296", "99999999999999999999", "18446744073709551616", "9223372036854775808",
    "999999999999999999999999999999999999999999"
  };
  /** BX_COUNTER values no hit may carry, an ancillary word may, that keep it near the run's time. */
  private static final String[] HIGH_BX = {"3564", "17444", "65535", "999999"};
  /** Lines of nothing but characters that are whitespace to Java and not to the parser. */
  private static final String[] EXOTIC_SPACE = {
    "\u000b", "\u000c", "\u001c", "\u001d", "\u001e", "\u001f", "\u0085", "\u00a0", "\u1680", "\u2003",
    "\u2007", "\u200b", "\u2028", "\u2029", "\u202f", "\u3000", " \u000b\t", "\u0000", "\u007f"
  };
  private static final String[] BLANK = {"", " ", "\t", "  \t "};
  private static final String[] BOM_BLANK = {"\ufeff", "\ufeff \t", " \ufeff"};
  private static final String HEADER = "HEAD,FPGA,TDC_CHANNEL,ORBIT_CNT,BX_COUNTER,TDC_MEAS";
  private static final String[] HEADERS = {
    HEADER, "HEAD", " HEAD ", "HEAD,", "HEAD ,x", "\tHEAD,\u0000garbage\u00ff", "HEAD,,,,,,,,"
  };
  private static final String[] BOM_HEADERS = {"\ufeff" + HEADER, "\ufeffHEAD"};
  private static final String[] NOT_HEADERS = {
    "head,fpga,tdc_channel,orbit_cnt,bx_counter,tdc_meas", "HEADX,1,2,3,4,5", "HEAD;FPGA;TDC_CHANNEL",
    "\u00a0HEAD,FPGA", "H EAD,1", "#HEAD,FPGA"
  };
  private static final byte[][] TERMINATORS = {{'\n'}, {'\r', '\n'}, {'\r'}};

  private final Random random;
  private final RowGenerator rows;
  private final boolean forStream;

  /** Every kind of line, for files. */
  public HostileLines(long seed) {
    this(seed, false);
  }

  private HostileLines(long seed, boolean forStream) {
    this.random = new Random(seed);
    this.rows = new RowGenerator(random.nextLong(), SECONDS);
    this.forStream = forStream;
  }

  /** Lines for the streaming pipeline in detector time (see the class comment). */
  public static HostileLines forStream(long seed) {
    return new HostileLines(seed, true);
  }

  /** {@code count} lines of {@link #forStream}'s {@link #lines}, as text: a stream's records. */
  public static List<String> stream(long seed, int count) {
    return forStream(seed).lines(count).stream().map(Line::text).toList();
  }

  /** The random source of this generator, for a test to draw the rest of its choices from one seed. */
  public Random random() {
    return random;
  }

  /** A mixture: about half valid rows, the rest every kind of hostile line but huge ones. */
  public Line next() {
    int kind = random.nextInt(100);
    if (kind < 42) {
      return validRow();
    } else if (kind < 49) {
      return oddButValid();
    } else if (kind < 77) {
      return malformed();
    } else if (kind < 84) {
      return binary(1 + random.nextInt(80));
    } else if (kind < 87) {
      return latin1(1 + random.nextInt(80));
    } else if (kind < 94) {
      return unicode(1 + random.nextInt(80));
    } else {
      return skipped();
    }
  }

  /** {@code count} lines: {@link #next}'s mixture, one in a hundred of them {@link #huge}. */
  public List<Line> lines(int count) {
    List<Line> lines = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      lines.add(random.nextInt(100) == 0 ? huge() : next());
    }
    return lines;
  }

  /** A valid row of {@link RowGenerator}: a noise or muon hit, or an ancillary word. */
  public Line validRow() {
    return row(rows.nextValid());
  }

  /**
   * A line of 10k to 1M characters (50k for a stream), never more than the injector's limit in
   * UTF-8 bytes.
   */
  public Line huge() {
    double most = forStream ? 50_000 : 1_000_000;
    int chars = (int) Math.round(Math.exp(Math.log(10_000) + random.nextDouble() * Math.log(most / 10_000)));
    return switch (random.nextInt(5)) {
      case 0 -> {
        // a valid hit, its TDC_MEAS padded with leading zeros
        String[] fields = rows.nextValid().split(",", -1);
        String head = "2,0," + fields[2] + "," + fields[3] + ",7,";
        yield row(head + "0".repeat(Math.max(1, chars - head.length() - 1)) + "5");
      }
      case 1 -> line(",".repeat(chars), Kind.MALFORMED);
      case 2 -> unicode(chars);
      case 3 -> binary(Math.min(chars, MAX_LINE_BYTES / 3)); // each invalid byte becomes U+FFFD, 3 bytes
      default -> {
        StringBuilder text = new StringBuilder("x");
        while (text.length() < chars) {
          char c = (char) (random.nextInt(0x7f - 0x20) + 0x20);
          text.append(random.nextInt(50) == 0 ? ',' : c);
        }
        yield line(text.toString(), Kind.MALFORMED);
      }
    };
  }

  /** A line of exactly {@code bytes} UTF-8 bytes, some of them multi-byte characters. */
  public Line ofBytes(int bytes) {
    StringBuilder text = new StringBuilder("x");
    int length = 1;
    while (length < bytes) {
      int room = bytes - length;
      String piece = room >= 4 && random.nextInt(8) == 0 ? "\ud83d\ude00" : room >= 3 && random.nextInt(8) == 0 ? "\u20ac" : "y";
      text.append(piece);
      length += piece.getBytes(UTF_8).length;
    }
    return line(text.toString(), Kind.MALFORMED);
  }

  private Line row(String row) {
    return line(row, Kind.ROW);
  }

  /**
   * Rows the parser accepts though they look odd: every one of its leniencies. The last two kinds
   * only for files: a BOM, and ORBIT_CNT 2^32-1, hours past the run.
   */
  private Line oddButValid() {
    String[] fields = rows.nextValid().split(",", -1);
    switch (random.nextInt(forStream ? 5 : 7)) {
      case 0 -> {
        for (int i = 0; i < fields.length; i++) {
          fields[i] = pad() + fields[i] + pad();
        }
      }
      case 1 -> {
        int field = random.nextInt(5);
        fields[field] = "0".repeat(1 + random.nextInt(30)) + fields[field];
      }
      case 2 -> fields[2] = pick(OVERFLOWING); // TDC_CHANNEL saturates
      case 3 -> {
        if (fields[5].chars().allMatch(Character::isDigit)) {
          fields[5] = pick(new String[] {"", "+"}) + fields[5] + pick(new String[] {"", ".", ".000"});
        }
      }
      case 4 -> {
        // an ancillary word may carry any BX_COUNTER and any decimal TDC_MEAS
        fields[0] = pick(new String[] {"0", "1", "3", "4", "5"});
        fields[4] = forStream ? pick(HIGH_BX) : pick(HIGH_BX, OVERFLOWING);
        fields[5] = pick(new String[] {"-0", "1.5", "-7.25", ".5", "-.5", "7.", "+3", "99999999999", "0.0000001"});
      }
      case 5 -> fields[0] = "\ufeff" + fields[0];
      default -> fields[3] = "4294967295";
    }
    return row(String.join(",", fields));
  }

  private String pad() {
    return switch (random.nextInt(4)) {
      case 0 -> "";
      case 1 -> " ";
      case 2 -> "\t";
      default -> " \t ";
    };
  }

  /** A valid row broken in one way, or a line that is no row at all: every rule the parser holds rows to. */
  private Line malformed() {
    String[] template = rows.nextValid().split(",", -1);
    List<String> fields = new ArrayList<>(List.of(template));
    boolean hit = fields.get(0).equals("2");
    String separator = ",";
    switch (random.nextInt(hit ? 13 : 11)) {
      case 0 -> fields.remove(random.nextInt(fields.size()));
      case 1 -> {
        int extra = random.nextInt(20) == 0 ? 1 + random.nextInt(1000) : 1;
        for (int i = 0; i < extra; i++) {
          fields.add(random.nextInt(fields.size() + 1), Integer.toString(random.nextInt(100)));
        }
      }
      case 2 -> fields.set(0, pick(NOT_A_NUMBER, OVERFLOWING, new String[] {"6", "-0", "+2", "2.0", "2."}));
      case 3 -> fields.set(3, pick(NOT_A_NUMBER, OVERFLOWING, new String[] {"-0", "+5", "5.0", "5.", "-1"}));
      case 4 -> fields.set(1 + random.nextInt(4), pick(NOT_A_NUMBER, new String[] {"-1", "-0", "+1", "1.0", "1.", "1e0"}));
      case 5 -> fields.set(5, pick(NOT_A_NUMBER, new String[] {"1e3", "--1", "1,", "1,5", "0x1F", "1..2", "1.2.3"}));
      case 6 -> separator = pick(new String[] {";", "\t", " ", "|", "\u201a", "\uff0c"});
      case 7 -> {
        char control;
        do {
          control = (char) random.nextInt(32);
        } while (control == '\n' || control == '\r' || control == '\t');
        int field = random.nextInt(fields.size());
        String value = fields.get(field);
        int at = random.nextInt(value.length() + 1);
        fields.set(field, value.substring(0, at) + control + value.substring(at));
      }
      case 8 -> {
        int field = random.nextInt(fields.size());
        fields.set(field, pick(new String[] {"\u00a0", "\u2003", "\u200b", "\u3000", "\u0085"}) + fields.get(field));
      }
      case 9 -> {
        return line(pick(EXOTIC_SPACE, NOT_HEADERS, new String[] {",,,,,", ",,,,,,,,,,,", "2", "2,0,1,5,6", "1,2,3,4,5,6,7"}), Kind.MALFORMED);
      }
      case 10 -> {
        return line(pick(EXOTIC_SPACE) + String.join(",", fields), Kind.MALFORMED);
      }
      case 11 -> {
        if (random.nextBoolean()) {
          fields.set(1, pick(new String[] {"2", "3", "99"})); // a hit's FPGA out of range
        } else {
          fields.set(4, pick(new String[] {"3564", "99999", "99999999999999999999"})); // a hit's BX
        }
      }
      default -> fields.set(5, pick(new String[] {"32", "2.5", ".5", "-1", "31.0001", "1000000000000", "-0.5"})); // a hit's TDC
    }
    return line(String.join(separator, fields), Kind.MALFORMED);
  }

  /** Random bytes but \n and \r, the first one never a digit, space or H: never a row, blank or header. */
  private Line binary(int length) {
    byte[] bytes = new byte[length];
    byte[] first = {0x00, 0x01, 0x1b, 0x7f, (byte) 0x80, (byte) 0xc0, (byte) 0xc3, (byte) 0xe2, (byte) 0xed,
        (byte) 0xf4, (byte) 0xf8, (byte) 0xfe, (byte) 0xff, 'x', '#', '"'};
    bytes[0] = first[random.nextInt(first.length)];
    for (int i = 1; i < length; i++) {
      byte b;
      do {
        b = (byte) random.nextInt(256);
      } while (b == '\n' || b == '\r');
      bytes[i] = b;
    }
    return new Line(bytes, Kind.MALFORMED);
  }

  /** Such bytes read as Latin-1, one character each (C1 controls, accented letters), in UTF-8. */
  private Line latin1(int length) {
    return line(new String(binary(length).bytes(), ISO_8859_1), Kind.MALFORMED);
  }

  /** Code points from every plane (no surrogates, no line ends), the first one beyond ASCII. */
  private Line unicode(int length) {
    StringBuilder text = new StringBuilder();
    int utf8 = 0;
    while (text.length() < length) {
      int codePoint = random.nextInt(4) == 0 ? random.nextInt(0x11_0000) : random.nextInt(0x3000);
      if ((codePoint >= 0xD800 && codePoint <= 0xDFFF) || codePoint == '\n' || codePoint == '\r'
          || (text.isEmpty() && (codePoint < 0x80 || codePoint == 0xFEFF))) {
        continue;
      }
      int bytes = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
      if (utf8 + bytes > MAX_LINE_BYTES) {
        break;
      }
      utf8 += bytes;
      text.appendCodePoint(codePoint);
    }
    return line(text.toString(), Kind.MALFORMED);
  }

  /** A blank or header line. */
  private Line skipped() {
    if (random.nextBoolean()) {
      return line(forStream ? pick(BLANK) : pick(BLANK, BOM_BLANK), Kind.SKIPPED);
    }
    return line(forStream ? pick(HEADERS) : pick(HEADERS, BOM_HEADERS), Kind.SKIPPED);
  }

  private String pick(String[]... choices) {
    int total = 0;
    for (String[] choice : choices) {
      total += choice.length;
    }
    int index = random.nextInt(total);
    for (String[] choice : choices) {
      if (index < choice.length) {
        return choice[index];
      }
      index -= choice.length;
    }
    throw new AssertionError();
  }

  /** A line fit for a message: its start, non-ASCII escaped, and its length. */
  public static String describe(String line) {
    StringBuilder text = new StringBuilder("\"");
    line.chars().limit(80).forEach(c -> text.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
    return text.append(line.length() > 80 ? "...\" (" + line.length() + " chars)" : "\"").toString();
  }

  /** A line of a kind the caller knows. */
  public static Line line(String text, Kind kind) {
    return new Line(text.getBytes(UTF_8), kind);
  }

  /** The lines as a file: each ended by \n, \r\n or \r ({@code terminators} of them: 0 1 2), the last one maybe not. */
  public byte[] file(List<Line> lines, int[] terminators, boolean finalTerminator) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < lines.size(); i++) {
      out.writeBytes(lines.get(i).bytes());
      if (i < lines.size() - 1 || finalTerminator) {
        out.writeBytes(TERMINATORS[terminators[random.nextInt(terminators.length)]]);
      }
    }
    return out.toByteArray();
  }
}
