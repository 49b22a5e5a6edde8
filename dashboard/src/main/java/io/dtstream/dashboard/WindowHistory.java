package io.dtstream.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The latest windows, keyed and ordered by window start, bounded both by time (the span back from
 * the newest window's start, so a replay of old data keeps its windows too) and by count. A window
 * that arrives again replaces the one with the same start. Thread-safe.
 */
public final class WindowHistory {
  private final Duration span;
  private final int maxWindows;
  private final NavigableMap<Instant, LiveWindow> byStart = new TreeMap<>();

  public WindowHistory(Duration span, int maxWindows) {
    if (span.isNegative() || span.isZero() || maxWindows < 1) {
      throw new IllegalArgumentException("the history must hold something");
    }
    this.span = span;
    this.maxWindows = maxWindows;
  }

  /**
   * Adds or replaces a window; returns false (and keeps nothing) for a window older than the
   * history reaches back.
   */
  public synchronized boolean put(LiveWindow window) {
    Instant start = window.results().startInstant();
    if (!byStart.isEmpty() && start.isBefore(byStart.lastKey().minus(span))) {
      return false;
    }
    byStart.put(start, window);
    Instant oldestKept = byStart.lastKey().minus(span);
    byStart.headMap(oldestKept, false).clear();
    while (byStart.size() > maxWindows) {
      byStart.pollFirstEntry();
    }
    return true;
  }

  /** The results of up to {@code count} windows that start before {@code start}, oldest first. */
  public synchronized List<WindowResults> resultsBefore(Instant start, int count) {
    List<WindowResults> results = new ArrayList<>(count);
    Iterator<LiveWindow> newestFirst = byStart.headMap(start, false).descendingMap().values().iterator();
    while (results.size() < count && newestFirst.hasNext()) {
      results.add(0, newestFirst.next().results());
    }
    return results;
  }

  /** The last {@code count} windows, oldest first. */
  public synchronized List<LiveWindow> last(int count) {
    List<LiveWindow> windows = new ArrayList<>(byStart.values());
    return List.copyOf(windows.subList(Math.max(0, windows.size() - count), windows.size()));
  }

  public synchronized Optional<LiveWindow> latest() {
    return byStart.isEmpty() ? Optional.empty() : Optional.of(byStart.lastEntry().getValue());
  }

  public synchronized int size() {
    return byStart.size();
  }
}
