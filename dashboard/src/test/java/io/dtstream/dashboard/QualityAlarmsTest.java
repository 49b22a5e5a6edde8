package io.dtstream.dashboard;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.dtstream.dashboard.QualityAlarms.ChannelAlarm;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class QualityAlarmsTest {
  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private final QualityAlarms alarms = new QualityAlarms(4, 5, 500, 10);

  @Test
  public void aChannelWithoutHitsInTheLastWindowsIsDead() {
    List<WindowResults> windows = new ArrayList<>();
    windows.add(window(0, occupancy -> {})); // channel 17 still fired here, 4 windows before the last
    for (int i = 1; i <= 4; i++) {
      windows.add(window(i, occupancy -> occupancy[0][17] = 0));
    }
    QualityAlarms.Report report = alarms.evaluate(windows);
    assertEquals(4, report.windowsLookedAt());
    assertEquals(List.of(new ChannelAlarm(0, 17, 0, 12.0, 0, false, false)), report.dead());
    assertEquals(List.of(), report.noisy());

    // One hit within the windows looked at: alive.
    windows.get(2).chambers().get(0).occupancy()[17] = 1;
    assertEquals(List.of(), alarms.evaluate(windows).dead());
  }

  @Test
  public void aQuietChamberHasNoDeadChannels() {
    // Median 2 per window, 8 over four windows: below the 10 a dead verdict needs.
    List<WindowResults> windows = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      windows.add(window(i, occupancy -> {
        java.util.Arrays.fill(occupancy[3], 2);
        occupancy[3][40] = 0;
      }));
    }
    assertEquals(List.of(), alarms.evaluate(windows).dead());
  }

  @Test
  public void aChannelFarAboveItsChambersMedianIsNoisy() {
    List<WindowResults> windows = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      windows.add(window(i, occupancy -> {
        occupancy[1][2] = 16; // 64 over four windows: 5.3 x the median 12
        occupancy[2][9] = 15; // 60: exactly 5 x, not above
      }));
    }
    QualityAlarms.Report report = alarms.evaluate(windows);
    assertEquals(List.of(new ChannelAlarm(1, 2, 64, 12.0, 64 / 20.0, true, false)), report.noisy());
    assertEquals(List.of(), report.dead());
    assertEquals("chamber 1 channel 2: 64 hits, 5.3x the chamber median, above the 5x limit", noisyMessage(report, 1, 2));
  }

  @Test
  public void aLoneChannelOfASilentChamberIsNoisy() {
    List<WindowResults> windows = List.of(window(0, occupancy -> {
      java.util.Arrays.fill(occupancy[0], 0);
      occupancy[0][63] = 6; // median 0 counts as 1
    }));
    QualityAlarms.Report report = alarms.evaluate(windows);
    assertEquals(List.of(new ChannelAlarm(0, 63, 6, 0.0, 6 / 5.0, true, false)), report.noisy());
    assertTrue(report.dead().isEmpty());
  }

  @Test
  public void aChannelBelowTheFactorButAboveTheRateIsNoisy() {
    // Four 5 s windows of 1000 hits a channel: the median is 4000 hits in 20 s, 200 Hz.
    List<WindowResults> windows = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      long[][] occupancy = TestWindows.flat(1000, 1000, 1000, 1000);
      occupancy[1][7] = 2600; // 10400 in 20 s: 520 Hz, but only 2.6 x the median
      occupancy[2][9] = 2500; // 10000 in 20 s: exactly 500 Hz, not above
      windows.add(TestWindows.results(START.plusSeconds(5L * i), occupancy));
    }
    QualityAlarms.Report report = alarms.evaluate(windows);
    assertEquals(20.0, report.secondsLookedAt(), 0);
    assertEquals(List.of(new ChannelAlarm(1, 7, 10400, 4000.0, 520.0, false, true)), report.noisy());
    assertEquals("chamber 1 channel 7: 10400 hits, 520.0 Hz, above the 500 Hz limit", noisyMessage(report, 1, 7));
  }

  @Test
  public void bothRulesAreNamedWhenBothHold() {
    List<WindowResults> windows = List.of(window(0, occupancy -> occupancy[3][0] = 3000)); // 1000x the median, 600 Hz
    assertEquals("chamber 3 channel 0: 3000 hits, 1000.0x the chamber median, above the 5x limit"
        + " and 600.0 Hz, above the 500 Hz limit", noisyMessage(alarms.evaluate(windows), 3, 0));
  }

  /**
   * The rate is the hits of the windows looked at over their durations summed: six 1 s windows,
   * one every 5 s, of which the last four are looked at, 4 s in all (not the 16 s from the first
   * one's start to the last one's end, nor 6 s, nor 20 s of nominal 5 s windows).
   */
  @Test
  public void theRateIsOverTheDurationsOfTheWindowsLookedAt() {
    List<WindowResults> windows = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      long[][] occupancy = TestWindows.flat(300, 300, 300, 300); // the median: 1200 in 4 s, 300 Hz
      occupancy[0][5] = i < 2 ? 0 : 600; // 2400 in 4 s: 600 Hz, 2 x the median
      windows.add(TestWindows.results(START.plusSeconds(5L * i), Duration.ofSeconds(1), occupancy));
    }
    QualityAlarms.Report report = alarms.evaluate(windows);
    assertEquals(4, report.windowsLookedAt());
    assertEquals(4.0, report.secondsLookedAt(), 0);
    assertEquals(List.of(new ChannelAlarm(0, 5, 2400, 1200.0, 600.0, false, true)), report.noisy());
  }

  @Test
  public void theRateLimitMustBeAboveZero() {
    for (double limit : new double[] {0, -1, Double.NaN}) {
      try {
        new QualityAlarms(4, 5, limit, 10);
        fail("took " + limit);
      } catch (IllegalArgumentException expected) {
        // refused
      }
    }
  }

  @Test
  public void medianOfAnEvenCount() {
    assertEquals(2.5, QualityAlarms.median(new long[] {4, 1, 3, 2}), 0);
    assertEquals(3.0, QualityAlarms.median(new long[] {5, 1, 3}), 0);
  }

  /** The journal's message of a noisy channel. */
  private String noisyMessage(QualityAlarms.Report report, int chamber, int channel) {
    return alarms.verdicts(report).stream()
        .filter(v -> v.kind().equals("noisy") && v.chamber() == chamber && v.channel() == channel)
        .findFirst().orElseThrow().message();
  }

  /** Window i: every channel 3 hits, then {@code change}. */
  private static WindowResults window(int i, java.util.function.Consumer<long[][]> change) {
    long[][] occupancy = TestWindows.flat(3, 3, 3, 3);
    change.accept(occupancy);
    return TestWindows.results(START.plusSeconds(5L * i), occupancy);
  }
}
