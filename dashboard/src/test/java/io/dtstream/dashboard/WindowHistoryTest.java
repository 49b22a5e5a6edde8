package io.dtstream.dashboard;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.Test;

public class WindowHistoryTest {
  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  public void aWindowThatArrivesAgainReplacesTheFirst() {
    WindowHistory history = new WindowHistory(Duration.ofHours(1), 100);
    history.put(window(0, 1));
    history.put(window(1, 1));
    history.put(window(0, 2));
    assertEquals(2, history.size());
    assertEquals(64 * 4 * 2, history.last(2).get(0).results().counts().hits());
    assertEquals(START.plusSeconds(5), history.latest().orElseThrow().results().startInstant());
  }

  @Test
  public void boundedByCountKeepingTheNewest() {
    WindowHistory history = new WindowHistory(Duration.ofHours(1), 3);
    for (int i = 0; i < 10; i++) {
      history.put(window(i, 1));
    }
    assertEquals(3, history.size());
    assertEquals(List.of(START.plusSeconds(35), START.plusSeconds(40), START.plusSeconds(45)),
        history.last(5).stream().map(w -> w.results().startInstant()).toList());
  }

  @Test
  public void boundedByTimeBackFromTheNewestWindow() {
    WindowHistory history = new WindowHistory(Duration.ofSeconds(10), 100);
    for (int i = 0; i < 6; i++) {
      history.put(window(i, 1));
    }
    assertEquals(3, history.size()); // starts 15, 20, 25: within 10 s of 25
    assertFalse("older than the history reaches back", history.put(window(1, 1)));
    assertTrue("late, but within reach", history.put(window(3, 7)));
    assertEquals(3, history.size());
  }

  @Test
  public void theWindowsBeforeAStart() {
    WindowHistory history = new WindowHistory(Duration.ofHours(1), 100);
    for (int i = 0; i < 6; i++) {
      history.put(window(i, 1));
    }
    List<WindowResults> before = history.resultsBefore(START.plusSeconds(20), 2);
    assertEquals(List.of(START.plusSeconds(10), START.plusSeconds(15)), before.stream().map(WindowResults::startInstant).toList());
    assertEquals(0, history.resultsBefore(START, 5).size());
  }

  private static LiveWindow window(int i, long hitsPerChannel) {
    Instant start = START.plusSeconds(5L * i);
    long[][] occupancy = TestWindows.flat(hitsPerChannel, hitsPerChannel, hitsPerChannel, hitsPerChannel);
    return new LiveWindow(TestWindows.results(start, occupancy), 0, QualityAlarms.Report.NONE);
  }
}
