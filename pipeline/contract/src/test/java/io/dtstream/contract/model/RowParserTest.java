package io.dtstream.contract.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.instanceOf;
import static org.junit.Assert.assertEquals;

import org.junit.Test;

public class RowParserTest {

  private static Malformed malformed(String line) {
    ParsedRow row = RowParser.parse(line);
    assertThat(line, row, instanceOf(Malformed.class));
    Malformed bad = (Malformed) row;
    assertEquals(line, bad.line());
    return bad;
  }

  @Test
  public void parsesARealHit() {
    assertEquals(new Hit(0, 75, 3387200947L, 2922, 2), RowParser.parse("2,0,75,3387200947,2922,2"));
  }

  @Test
  public void everyAncillaryHeadIsAncillary() {
    for (int head : new int[] {0, 1, 3, 4, 5}) {
      assertEquals(
          new Ancillary(head, 3387315431L, 1119),
          RowParser.parse(head + ",1,2,3387315431,1119,24"));
    }
  }

  @Test
  public void headsOutsideZeroToFiveAreMalformed() {
    assertThat(malformed("6,0,1,1,1,1").reason(), containsString("HEAD 6"));
    malformed("7,0,1,1,1,1");
    malformed("99999999999999999999999,0,1,1,1,1");
    malformed("-2,0,1,1,1,1");
  }

  @Test
  public void headerAndBlankLinesAreSkipped() {
    assertEquals(Skipped.HEADER, RowParser.parse("HEAD,FPGA,TDC_CHANNEL,ORBIT_CNT,BX_COUNTER,TDC_MEAS"));
    assertEquals(Skipped.HEADER, RowParser.parse("\uFEFFHEAD,FPGA,TDC_CHANNEL,ORBIT_CNT,BX_COUNTER,TDC_MEAS\r"));
    assertEquals(Skipped.BLANK, RowParser.parse(""));
    assertEquals(Skipped.BLANK, RowParser.parse("   \t\r"));
  }

  @Test
  public void wrongFieldCountsAreMalformed() {
    assertThat(malformed("2,0,75,3387200947,2922").reason(), containsString("found 5"));
    assertThat(malformed("2,0,75,3387200947,2922,2,7").reason(), containsString("found 7"));
    assertThat(malformed(",,,,,,,").reason(), containsString("found 8"));
    malformed("2");
    malformed(",,,,,");
  }

  @Test
  public void nonNumericFieldsAreMalformed() {
    malformed("x,0,75,3387200947,2922,2");
    malformed("2,a,75,3387200947,2922,2");
    malformed("2,0,7 5,3387200947,2922,2");
    malformed("2,0,75,0x10,2922,2");
    malformed("2,0,75,3387200947,29.0,2");
    malformed("2,0,75,3387200947,2922,two");
    malformed("2,0,75,3387200947,2922,NaN");
    malformed("2,0,75,3387200947,2922,1e1");
    malformed("4,0,0,3387339329,0,-");
    malformed("4,0,0,3387339329,0,.");
    malformed("2,0,75,3387200947,2922,");
    malformed("2,0,٣,3387200947,2922,2");
  }

  @Test
  public void spacesAroundFieldsAreAllowed() {
    assertEquals(new Hit(1, 128, 5, 10, 7), RowParser.parse(" 2 , 1,128 ,5,\t10, 7.000000 \r"));
  }

  @Test
  public void orbitCountIsUnsignedThirtyTwoBits() {
    assertEquals(new Hit(0, 1, 4294967295L, 0, 0), RowParser.parse("2,0,1,4294967295,0,0"));
    assertThat(malformed("2,0,1,4294967296,0,0").reason(), containsString("ORBIT_CNT"));
    malformed("1,0,1,4294967296,0,0");
    malformed("2,0,1,123456789012345678901234567890,0,0");
  }

  @Test
  public void hugeNumbersInAncillaryRowsAreStillAncillary() {
    ParsedRow row = RowParser.parse("3,99999999999999999999,5,7,99999999999999999999999,0");
    assertEquals(new Ancillary(3, 7, Long.MAX_VALUE), row);
  }

  @Test
  public void hugeChannelOfAHitIsAnUnmappedHit() {
    Hit hit = (Hit) RowParser.parse("2,1,99999999999,7,0,0");
    assertEquals(Chambers.UNMAPPED, hit.chamber());
  }

  @Test
  public void hitRangeRules() {
    assertThat(malformed("2,2,75,3387200947,2922,2").reason(), containsString("FPGA 2"));
    assertThat(malformed("2,0,75,3387200947,3564,2").reason(), containsString("BX_COUNTER 3564"));
    assertEquals(new Hit(0, 75, 1, 3563, 31), RowParser.parse("2,0,75,1,3563,31"));
    assertEquals(new Hit(0, 75, 1, 0, 30), RowParser.parse("2,0,75,1,0,30.0"));
    malformed("2,0,75,1,0,32");
  }

  @Test
  public void negativeAndFractionalTdcAreFineForAncillaryButNotForHits() {
    assertEquals(new Ancillary(4, 3387315431L, 0), RowParser.parse("4,1,0,3387315431,0,-0.573730"));
    assertEquals(new Ancillary(5, 3387315431L, 0), RowParser.parse("5,1,0,3387315431,0,45.500000"));
    assertEquals(new Ancillary(5, 1, 0), RowParser.parse("5,1,0,1,0,+.5"));
    malformed("2,0,75,1,0,-1");
    malformed("2,0,75,1,0,2.5");
    malformed("2,0,75,1,0,0.000001");
    assertEquals(new Hit(0, 75, 1, 0, 0), RowParser.parse("2,0,75,1,0,-0.0"));
    assertEquals(new Hit(0, 75, 1, 0, 7), RowParser.parse("2,0,75,1,0,7."));
    assertEquals(new Hit(0, 75, 1, 0, 7), RowParser.parse("2,0,75,1,0,0007.000000"));
  }

  @Test
  public void garbageNeverThrows() {
    malformed("\u0000\u0001\u00ff,\uFFFD");
    malformed("2,0,75,3387200947,2922,2\u0000");
    malformed("x".repeat(100_000));
  }

  /** The byte scanner of records and the line parser are one set of rules. */
  @Test
  public void scanningARecordFindsWhatParsingItsLinesFinds() {
    java.util.List<String> lines = io.dtstream.testing.HostileLines.stream(7, 20_000);
    assertScanningFindsWhatParsingFinds(String.join("\n", lines) + "\r\n2,1,128,5,6,7\r" + "1,0,0,9,99999,0");
  }

  /**
   * Lines of plain digits, which the scanner reads in one pass, on both sides of every limit
   * (HEAD 5, FPGA 1, ORBIT_CNT 2^32-1, BX_COUNTER 3563, TDC_MEAS 31, 18 and 19 digits), with
   * empty fields, leading zeros and 5 to 7 fields: the scanner finds what the line parser finds.
   */
  @Test
  public void plainDigitLinesAreReadByTheSameRules() {
    String[] values = {
      "0", "1", "2", "3", "5", "6", "007", "31", "32", "127", "3563", "3564", "4294967295", "4294967296",
      "999999999999999999", "9999999999999999999", "99999999999999999999999", ""
    };
    java.util.Random random = new java.util.Random(11);
    StringBuilder record = new StringBuilder();
    for (int line = 0; line < 20_000; line++) {
      int fields = 5 + random.nextInt(3);
      for (int field = 0; field < fields; field++) {
        // HEAD 2 half of the time, so that hits' own limits are met often
        String value = field == 0 && random.nextBoolean() ? "2" : values[random.nextInt(values.length)];
        record.append(field > 0 ? "," : "").append(value);
      }
      record.append(random.nextInt(50) == 0 ? ",\n" : "\n");
    }
    assertScanningFindsWhatParsingFinds(record.toString());
  }

  private static void assertScanningFindsWhatParsingFinds(String record) {
    java.util.List<ParsedRow> expected = new java.util.ArrayList<>();
    for (String line : lines(record)) {
      ParsedRow row = RowParser.parse(line);
      if (!(row instanceof Skipped)) {
        expected.add(row instanceof Malformed bad ? new Malformed(bad.line(), bad.reason()) : row);
      }
    }
    java.util.List<ParsedRow> scanned = new java.util.ArrayList<>();
    RowParser.scan(
        record.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        new RowParser.RowSink() {
          @Override
          public void hit(int fpga, int channel, long orbit, int bx, int tdc) {
            scanned.add(new Hit(fpga, channel, orbit, bx, tdc));
          }

          @Override
          public void ancillary(int head, long orbit, long bx) {
            scanned.add(new Ancillary(head, orbit, bx));
          }

          @Override
          public void malformed(String line, String reason) {
            scanned.add(new Malformed(line, reason));
          }
        });
    assertEquals(expected.size(), scanned.size());
    for (int i = 0; i < expected.size(); i++) {
      ParsedRow want = expected.get(i);
      ParsedRow got = scanned.get(i);
      if (want instanceof Malformed bad) {
        // The scanner decodes a bad line from the record's bytes, as Kafka's deserializer did.
        assertThat(got, instanceOf(Malformed.class));
        assertEquals(bad.reason(), ((Malformed) got).reason());
        assertEquals(
            new String(bad.line().getBytes(java.nio.charset.StandardCharsets.UTF_8), java.nio.charset.StandardCharsets.UTF_8),
            ((Malformed) got).line());
      } else {
        assertEquals(want, got);
      }
    }
    assertThat(expected.size(), org.hamcrest.Matchers.greaterThan(15_000));
    assertThat("hits among them", expected.stream().filter(Hit.class::isInstance).count(), org.hamcrest.Matchers.greaterThan(0L));
  }

  @Test
  public void recordsSplitIntoLinesAsFilesDo() {
    assertEquals(java.util.List.of("a"), scannedLines("a"));
    // \r\n holds an empty line, which is blank and skipped like the one after the last \n
    assertEquals(java.util.List.of("a", "b", "c", "d"), scannedLines("a\nb\r\nc\rd\n"));
    assertEquals(java.util.List.of("a", "b", "", "c", "d", ""), lines("a\nb\r\nc\rd\n"));
  }

  /** Line breaks at every offset, records of every length around a multiple of eight bytes. */
  @Test
  public void lineBreaksAreFoundAtEveryOffset() {
    java.util.Random random = new java.util.Random(5);
    for (int length = 0; length < 600; length++) {
      StringBuilder record = new StringBuilder();
      for (int i = 0; i < length; i++) {
        int pick = random.nextInt(10);
        record.append(pick == 0 ? '\n' : pick == 1 ? '\r' : (char) ('a' + random.nextInt(3)));
      }
      java.util.List<String> expected = lines(record.toString()).stream().filter(line -> !line.isEmpty()).toList();
      assertEquals(record.toString(), expected, scannedLines(record.toString()));
    }
  }

  /** The lines the scanner hands over, all malformed here, in order. */
  private static java.util.List<String> scannedLines(String record) {
    java.util.List<String> lines = new java.util.ArrayList<>();
    RowParser.scan(
        record.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        new RowParser.RowSink() {
          @Override
          public void hit(int fpga, int channel, long orbit, int bx, int tdc) {}

          @Override
          public void ancillary(int head, long orbit, long bx) {}

          @Override
          public void malformed(String line, String reason) {
            lines.add(line);
          }
        });
    return lines;
  }

  /** A record's lines, split as the scanner splits them (each line ends at \n, \r or \r\n's \r). */
  private static java.util.List<String> lines(String record) {
    return java.util.Arrays.asList(record.split("\r|\n", -1));
  }
}
