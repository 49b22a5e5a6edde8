package io.dtstream.pipeline.transforms;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.dtstream.pipeline.TimeDomain;
import io.dtstream.contract.results.ResultMessage;
import io.dtstream.pipeline.testing.ResultsSchema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.Rule;
import org.junit.Test;

public class ComputeDetectorStatsTest {
  private static final Duration WINDOW = Duration.standardSeconds(5);
  private static final Duration LATENESS = Duration.standardSeconds(30);
  private static final IntervalWindow FIRST = new IntervalWindow(new Instant(0), WINDOW);
  private static final IntervalWindow SECOND = new IntervalWindow(new Instant(5_000), WINDOW);

  @Rule public final transient TestPipeline pipeline = TestPipeline.create();

  private static PCollection<KV<String, String>> results(
      PCollection<String> records, TimeDomain timeDomain) {
    return records
        .apply(ComputeDetectorStats.utf8Bytes())
        .apply(new ComputeDetectorStats(timeDomain, Windowing.fixed(WINDOW, LATENESS)))
        .get(ComputeDetectorStats.STATS)
        .apply(new FormatResults(timeDomain));
  }

  private static TimestampedValue<String> at(long millis, String record) {
    return TimestampedValue.of(record, new Instant(millis));
  }

  /** A check of the one message a pane holds; serializable, as PAssert needs. */
  interface Check extends Serializable {
    void verify(ResultMessage message);
  }

  private static SerializableFunction<Iterable<KV<String, String>>, Void> onlyMessage(Check check) {
    return panes -> {
      List<KV<String, String>> all = new ArrayList<>();
      panes.forEach(all::add);
      assertEquals(1, all.size());
      ResultsSchema.assertValid(all.get(0).getValue());
      try {
        ResultMessage message = ResultMessage.fromJson(all.get(0).getValue());
        assertEquals(message.window().start(), all.get(0).getKey());
        check.verify(message);
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
      return null;
    };
  }

  @Test
  public void eachWindowCountsItsOwnRowsAndOrbits() {
    TestStream<String> input =
        TestStream.create(StringUtf8Coder.of())
            .addElements(
                at(1_000, "2,0,1,100,10,0"),
                // one record holding several rows, as the injector may pack them
                at(2_000, "2,0,2,100,11,0\n2,0,3,101,5,5\r\n2,1,70,102,7,7"),
                at(3_000, "4,0,0,3387339329,0,-0.537109"),
                at(4_000, "2,0,3,101,9999,5"))
            .addElements(at(6_000, "2,0,1,200,10,0"), at(7_000, "2,0,1,201,10,0\n1,0,0,5,0,4"))
            .advanceWatermarkToInfinity();

    PCollection<KV<String, String>> results = results(pipeline.apply(input), TimeDomain.ingest);

    // A window's first message comes as the merge fires on time; the sum passes it on at once, in
    // an early pane of its own (it does not wait for the watermark again).
    PAssert.that(results)
        .inEarlyPane(FIRST)
        .satisfies(
            onlyMessage(
                m -> {
                  assertEquals("1970-01-01T00:00:00Z", m.window().start());
                  assertEquals("1970-01-01T00:00:05Z", m.window().end());
                  assertEquals("ingest", m.timeDomain());
                  assertEquals(6, m.counts().rows());
                  assertEquals(4, m.counts().hits());
                  assertEquals(1, m.counts().ancillary());
                  assertEquals(1, m.counts().malformed());
                  assertEquals(3, m.counts().orbits());
                  assertEquals(3, m.chambers().get(0).hits());
                  assertEquals(1, m.chambers().get(3).hits());
                  // orbit 100: two channels of chamber 0; orbit 101: one
                  assertEquals(1, m.chambers().get(0).activeChannelsPerOrbit().counts()[1]);
                  assertEquals(1, m.chambers().get(0).activeChannelsPerOrbit().counts()[0]);
                  assertEquals(1, m.chambers().get(3).occupancy().counts()[6]);
                }));
    PAssert.that(results)
        .inEarlyPane(SECOND)
        .satisfies(
            onlyMessage(
                m -> {
                  assertEquals(3, m.counts().rows());
                  assertEquals(2, m.counts().hits());
                  assertEquals(2, m.counts().orbits());
                  assertEquals(2, m.chambers().get(0).occupancy().counts()[1]);
                }));
    // And no window is sent twice: not when it expires, nor for the rows of its other records.
    PAssert.that(results).inWindow(FIRST).satisfies(onlyMessage(m -> assertEquals(6, m.counts().rows())));
    PAssert.that(results).inWindow(SECOND).satisfies(onlyMessage(m -> assertEquals(3, m.counts().rows())));
    pipeline.run();
  }

  @Test
  public void anOrbitWithAScintillatorGivesDriftTimes() {
    // Detector time: orbit 1000 lies 89 ms after orbit 0, in the first 5 s window.
    PCollection<String> rows =
        pipeline.apply(
            Create.of(
                "2,1,128,1000,100,0", // scintillator, tick 3000
                "2,0,5,1000,110,0", // chamber 0, 300 ticks = 250 ns later: 343.9 ns -> bin 54
                "2,1,128,1000,120,0", // a later scintillator hit: not the earliest
                "2,1,70,1000,100,15", // chamber 3, 15 ticks = 12.5 ns later: 104.9 ns -> bin 30
                "2,0,5,1001,110,0", // another orbit, without scintillator
                "2,0,6,70000,1,1")); // 6.24 s: the second window

    PCollection<KV<String, String>> results = results(rows, TimeDomain.detector);

    PAssert.that(results)
        .inWindow(FIRST)
        .satisfies(
            onlyMessage(
                m -> {
                  assertEquals("detector", m.timeDomain());
                  assertEquals(5, m.counts().hits());
                  assertEquals(2, m.counts().scintillator());
                  assertEquals(2, m.counts().unmapped());
                  assertEquals(2, m.counts().orbits());
                  assertEquals(1, m.counts().scintillatorOrbits());
                  assertEquals(1, m.chambers().get(0).scintillatorOccupancy().counts()[5]);
                  assertEquals(2, m.chambers().get(0).occupancy().counts()[5]);
                  assertEquals(1, m.chambers().get(0).driftTime().counts()[54]);
                  assertEquals(1, m.chambers().get(3).driftTime().counts()[30]);
                  assertEquals(1, m.chambers().get(3).scintillatorOccupancy().counts()[6]);
                }));
    PAssert.that(results)
        .inWindow(SECOND)
        .satisfies(onlyMessage(m -> assertEquals(1, m.counts().hits())));
    pipeline.run();
  }

  @Test
  public void lateRowsUpdateTheirWindowAndAreCounted() {
    TestStream<String> input =
        TestStream.create(StringUtf8Coder.of())
            .addElements(at(1_000, "2,0,1,100,10,0"), at(2_000, "2,0,2,100,10,0"))
            .advanceWatermarkTo(new Instant(6_000)) // the first window fires on time
            .addElements(at(3_000, "2,1,1,100,10,0")) // late, within the allowed lateness
            .advanceWatermarkTo(new Instant(5_000).plus(LATENESS).plus(Duration.millis(1)))
            .addElements(at(4_000, "2,1,2,100,10,0")) // beyond the allowed lateness: dropped
            .advanceWatermarkToInfinity();

    PCollection<KV<String, String>> results = results(pipeline.apply(input), TimeDomain.ingest);

    PAssert.that(results)
        .inEarlyPane(FIRST)
        .satisfies(
            onlyMessage(
                m -> {
                  assertEquals(2, m.counts().hits());
                  assertEquals(0, m.counts().late());
                }));
    PAssert.that(results)
        .inLatePane(FIRST)
        .satisfies(
            onlyMessage(
                m -> {
                  // the window again, same key, with everything so far
                  assertEquals(3, m.counts().hits());
                  assertEquals(1, m.counts().late());
                  assertEquals(1, m.chambers().get(2).hits());
                }));
    pipeline.run();
  }

  /**
   * Rows of one orbit with a scintillator hit (tick 3000) and a straight track {@code x = x0 +
   * slope z} through chamber 0 and chamber 2, minus the hits of {@code missingLayer} (0: none),
   * with drift times from the distance to the crossed cell's wire at 53.8 um/ns.
   */
  private static List<String> trackOrbit(long orbit, double x0, double slope, int missingLayer) {
    List<String> rows = new ArrayList<>(List.of("2,1,128," + orbit + ",100,0"));
    double[] offsetNs = {93.9, 101.4, 95.5, 92.4};
    int[] codeOfLayer = {0, 2, 1, 3};
    for (int chamber : new int[] {0, 2}) {
      for (int layer = 1; layer <= 4; layer++) {
        double x = x0 + slope * (layer - 0.5) * 13;
        double stagger = layer % 2 == 0 ? 21 : 0;
        int wire = (int) Math.floor((x - stagger) / 42);
        double distance = Math.abs(x - (42 * wire + 21 + stagger));
        if (layer == missingLayer || wire < 0 || wire > 15) {
          continue;
        }
        int ticks = 3000 + (int) Math.round((distance / 0.0538 - offsetNs[chamber]) * 30 / 25);
        int channel = (chamber % 2) * 64 + 4 * wire + codeOfLayer[layer - 1];
        rows.add("2," + chamber / 2 + "," + channel + "," + orbit + "," + ticks / 30 + "," + ticks % 30);
      }
    }
    return rows;
  }

  @Test
  public void theDqmHistogramsOfTheWindowsAddUpToTheSummary() {
    List<TimestampedValue<String>> first = new ArrayList<>();
    List<TimestampedValue<String>> second = new ArrayList<>();
    for (int orbit = 0; orbit < 40; orbit++) {
      List<TimestampedValue<String>> window = orbit % 3 == 0 ? first : second;
      long millis = window == first ? 1_000 : 6_000;
      double slope = Math.tan(Math.toRadians(-40 + 2 * orbit));
      trackOrbit(500 + orbit, 120 + 12 * orbit, slope, orbit % 5 == 0 ? 1 + orbit % 4 : 0)
          .forEach(row -> window.add(at(millis, row)));
    }
    TestStream<String> input =
        TestStream.create(StringUtf8Coder.of())
            .addElements(first.get(0), first.subList(1, first.size()).toArray(TimestampedValue[]::new))
            .advanceWatermarkTo(new Instant(5_500))
            .addElements(second.get(0), second.subList(1, second.size()).toArray(TimestampedValue[]::new))
            .advanceWatermarkToInfinity();
    PCollection<String> rows = pipeline.apply(input);
    PCollection<KV<String, String>> windows = tagged("window", results(rows, TimeDomain.ingest));
    PCollection<KV<String, String>> summary =
        tagged(
            "summary",
            rows.apply("SummaryBytes", ComputeDetectorStats.utf8Bytes())
                // one window over both (a stream has no global summary)
                .apply("Summary", new ComputeDetectorStats(TimeDomain.ingest, Windowing.fixed(Duration.standardHours(1), LATENESS)))
                .get(ComputeDetectorStats.STATS)
                .apply("SummaryResults", new FormatResults(TimeDomain.ingest)));

    PAssert.that(PCollectionList.of(windows).and(summary).apply(Flatten.pCollections()))
        .satisfies(
            all -> {
              Map<String, List<ResultMessage>> byTag = new HashMap<>();
              for (KV<String, String> message : all) {
                ResultsSchema.assertValid(message.getValue());
                byTag.computeIfAbsent(message.getKey(), k -> new ArrayList<>()).add(read(message.getValue()));
              }
              assertEquals(2, byTag.get("window").size());
              assertEquals(1, byTag.get("summary").size());
              ResultMessage total = byTag.get("summary").get(0);
              for (int c = 0; c < 4; c++) {
                int chamber = c;
                List<ResultMessage.Chamber> parts =
                    byTag.get("window").stream().map(m -> m.chambers().get(chamber)).toList();
                ResultMessage.Chamber whole = total.chambers().get(c);
                assertArrayEquals(sum(parts, p -> p.driftTime().counts()), whole.driftTime().counts());
                assertArrayEquals(sum(parts, p -> p.driftTimeFine().counts()), whole.driftTimeFine().counts());
                assertArrayEquals(sum(parts, p -> p.meanTimer().counts()), whole.meanTimer().counts());
                assertArrayEquals(sum(parts, p -> p.layerEfficiency().tested()), whole.layerEfficiency().tested());
                assertArrayEquals(sum(parts, p -> p.layerEfficiency().found()), whole.layerEfficiency().found());
                assertArrayEquals(sum(parts, p -> p.segments().angle().counts()), whole.segments().angle().counts());
                assertArrayEquals(sum(parts, p -> p.segments().residual().counts()), whole.segments().residual().counts());
                assertArrayEquals(sum(parts, p -> p.segments().chi2PerNdf().counts()), whole.segments().chi2PerNdf().counts());
              }
              // the tracks are there: chambers 0 and 2 have them, 1 and 3 none
              ResultMessage.Chamber zero = total.chambers().get(0);
              assertEquals(40, Arrays.stream(zero.segments().angle().counts()).sum());
              // 32 orbits test all four layers and find them; 8 lack one layer, tested only there
              assertEquals(32 * 4 + 8, Arrays.stream(zero.layerEfficiency().tested()).sum());
              assertEquals(32 * 4, Arrays.stream(zero.layerEfficiency().found()).sum());
              assertEquals(0, Arrays.stream(total.chambers().get(1).meanTimer().counts()).sum());
              assertTrue(Arrays.stream(total.chambers().get(2).meanTimer().counts()).sum() > 20);
              return null;
            });
    pipeline.run();
  }

  private static PCollection<KV<String, String>> tagged(String tag, PCollection<KV<String, String>> results) {
    return results
        .apply(tag + "Tag", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via(kv -> KV.of(tag, kv.getValue())))
        .apply(tag + "Global", Window.into(new GlobalWindows()));
  }

  private static ResultMessage read(String json) {
    try {
      return ResultMessage.fromJson(json);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static long[] sum(List<ResultMessage.Chamber> parts, java.util.function.Function<ResultMessage.Chamber, long[]> histogram) {
    long[] total = new long[histogram.apply(parts.get(0)).length];
    for (ResultMessage.Chamber part : parts) {
      long[] counts = histogram.apply(part);
      for (int i = 0; i < total.length; i++) {
        total[i] += counts[i];
      }
    }
    return total;
  }
}
