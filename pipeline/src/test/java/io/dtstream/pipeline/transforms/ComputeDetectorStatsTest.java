package io.dtstream.pipeline.transforms;

import static org.junit.Assert.assertEquals;

import io.dtstream.pipeline.TimeDomain;
import io.dtstream.contract.results.ResultMessage;
import io.dtstream.pipeline.testing.ResultsSchema;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
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

    PAssert.that(results)
        .inOnTimePane(FIRST)
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
        .inOnTimePane(SECOND)
        .satisfies(
            onlyMessage(
                m -> {
                  assertEquals(3, m.counts().rows());
                  assertEquals(2, m.counts().hits());
                  assertEquals(2, m.counts().orbits());
                  assertEquals(2, m.chambers().get(0).occupancy().counts()[1]);
                }));
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
        .inOnTimePane(FIRST)
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
}
