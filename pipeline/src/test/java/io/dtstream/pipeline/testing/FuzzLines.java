package io.dtstream.pipeline.testing;

import io.dtstream.testing.RowGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hostile input: {@link RowGenerator}'s rows, a share of them mutated (fields dropped, added,
 * swapped for overflowing numbers, NaN, signs, exponents, non-ASCII digits, control characters),
 * random unicode and binary garbage, huge lines and empty ones. Never a line terminator (a record's
 * lines are split before parsing) and never a valid time far from the run's (an ancillary row may
 * carry any BX_COUNTER): such a row opens a window centuries ahead, which closes only when the
 * watermark gets there.
 */
public final class FuzzLines {
  private static final String[] ODD_NUMBERS = {
    "NaN", "Infinity", "-Infinity", "1e3", "-0", "+1", "0x10", " 1", "1 ", "", "-", ".", "1.", ".5",
    "99999999999999999999", "18446744073709551616", "4294967296", "-1", "00000000000000000000001",
    "\uff11", "\u0663", "\u0661\u0662", "1\u00a0", "\u202e1", "1,5", "\"1\"", "null", "true", "0.0000001e-9"
  };

  private FuzzLines() {}

  public static List<String> generate(long seed, int count) {
    Random random = new Random(seed);
    List<String> valid = RowGenerator.generate(seed, count, 20);
    List<String> lines = new ArrayList<>(count);
    for (String line : valid) {
      int kind = random.nextInt(100);
      if (kind < 50) {
        lines.add(line);
      } else if (kind < 80) {
        lines.add(mutate(line, random));
      } else if (kind < 88) {
        lines.add(unicode(random, 1 + random.nextInt(80)));
      } else if (kind < 96) {
        lines.add(binary(random, 1 + random.nextInt(80)));
      } else if (kind < 97) {
        lines.add(unicode(random, 10_000 + random.nextInt(40_000)));
      } else {
        lines.add(random.nextBoolean() ? "" : ",,,,,");
      }
    }
    return lines;
  }

  private static String mutate(String line, Random random) {
    List<String> fields = new ArrayList<>(List.of(line.split(",", -1)));
    switch (random.nextInt(6)) {
      case 0 -> fields.remove(random.nextInt(fields.size()));
      case 1 -> fields.add(random.nextInt(fields.size() + 1), Integer.toString(random.nextInt(100)));
      case 2 -> {
        // an odd value anywhere but in ORBIT_CNT and BX_COUNTER, whose valid values are times
        int field = random.nextInt(fields.size());
        fields.set(field == 3 || field == 4 ? 0 : field, ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)]);
      }
      case 3 -> {
        if (fields.size() > 3) {
          fields.set(3, ODD_NUMBERS[random.nextInt(ODD_NUMBERS.length)] + "x");
        }
      }
      case 4 -> {
        char control;
        do {
          control = (char) (1 + random.nextInt(31));
        } while (control == '\n' || control == '\r');
        int field = random.nextInt(fields.size());
        fields.set(field, fields.get(field) + control);
      }
      default -> fields.replaceAll(field -> random.nextInt(3) == 0 ? "\u00a0" + field : field);
    }
    return String.join(random.nextInt(10) == 0 ? ";" : ",", fields);
  }

  /** Printable and unprintable code points from all planes, valid UTF-16, no line terminators. */
  private static String unicode(Random random, int length) {
    StringBuilder text = new StringBuilder();
    while (text.length() < length) {
      int codePoint = random.nextInt(4) == 0 ? random.nextInt(0x11_0000) : random.nextInt(0x3000);
      if ((codePoint >= 0xD800 && codePoint <= 0xDFFF) || codePoint == '\n' || codePoint == '\r') {
        continue;
      }
      text.appendCodePoint(codePoint);
    }
    return text.toString();
  }

  /** Bytes as a DAQ fault writes them, each read as one Latin-1 character. */
  private static String binary(Random random, int length) {
    StringBuilder text = new StringBuilder();
    while (text.length() < length) {
      char c = (char) random.nextInt(256);
      if (c != '\n' && c != '\r') {
        text.append(c);
      }
    }
    return text.toString();
  }
}
