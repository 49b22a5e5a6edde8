package io.dtstream.dashboard;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Each chamber's t0 and Tmax in the rolling view as it stood at each window (null where the fit
 * was not ok): the page's trend chart. Bounded like the history; a window that arrives again
 * replaces its point. Thread-safe.
 */
final class QualityTrend {
  /** One window's fits, chambers 0-3 in order. */
  record Point(String start, List<Double> t0Ns, List<Double> tMaxNs) {}

  private final int maxPoints;
  private final NavigableMap<Instant, Point> points = new TreeMap<>();

  QualityTrend(int maxPoints) {
    this.maxPoints = maxPoints;
  }

  synchronized void put(Instant start, QualityView rolling) {
    List<Double> t0 = new ArrayList<>();
    List<Double> tMax = new ArrayList<>();
    for (QualityView.ChamberResult chamber : rolling.chambers()) {
      t0.add(chamber.quality().timeBox().t0Ns());
      tMax.add(chamber.quality().timeBox().tMaxNs());
    }
    points.put(start, new Point(start.toString(), t0, tMax));
    while (points.size() > maxPoints) {
      points.pollFirstEntry();
    }
  }

  synchronized void remove(Instant start) {
    points.remove(start);
  }

  /** The points of windows that start at or after {@code since} (all for null), oldest first. */
  synchronized List<Point> since(Instant since) {
    return List.copyOf((since == null ? points : points.tailMap(since, true)).values());
  }
}
