package io.dtstream.dashboard;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.dtstream.dashboard.QualityAlarms.ChannelAlarm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

public class QualityAlarmsTest {
  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
  private final QualityAlarms alarms = new QualityAlarms(4, 5, 10);

  @Test
  public void aChannelWithoutHitsInTheLastWindowsIsDead() {
    List<WindowResults> windows = new ArrayList<>();
    windows.add(window(0, occupancy -> {})); // channel 17 still fired here, 4 windows before the last
    for (int i = 1; i <= 4; i++) {
      windows.add(window(i, occupancy -> occupancy[0][17] = 0));
    }
    QualityAlarms.Report report = alarms.evaluate(windows);
    assertEquals(4, report.windowsLookedAt());
    assertEquals(List.of(new ChannelAlarm(0, 17, 0, 12.0)), report.dead());
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
    assertEquals(List.of(new ChannelAlarm(1, 2, 64, 12.0)), report.noisy());
    assertEquals(List.of(), report.dead());
  }

  @Test
  public void aLoneChannelOfASilentChamberIsNoisy() {
    List<WindowResults> windows = List.of(window(0, occupancy -> {
      java.util.Arrays.fill(occupancy[0], 0);
      occupancy[0][63] = 6; // median 0 counts as 1
    }));
    QualityAlarms.Report report = alarms.evaluate(windows);
    assertEquals(List.of(new ChannelAlarm(0, 63, 6, 0.0)), report.noisy());
    assertTrue(report.dead().isEmpty());
  }

  @Test
  public void medianOfAnEvenCount() {
    assertEquals(2.5, QualityAlarms.median(new long[] {4, 1, 3, 2}), 0);
    assertEquals(3.0, QualityAlarms.median(new long[] {5, 1, 3}), 0);
  }

  /** Window i: every channel 3 hits, then {@code change}. */
  private static WindowResults window(int i, java.util.function.Consumer<long[][]> change) {
    long[][] occupancy = TestWindows.flat(3, 3, 3, 3);
    change.accept(occupancy);
    return TestWindows.results(START.plusSeconds(5L * i), occupancy);
  }
}
