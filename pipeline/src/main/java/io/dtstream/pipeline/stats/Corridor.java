package io.dtstream.pipeline.stats;

/**
 * The straight lines {@code x = a + b z} through a set of cells (at heights {@code z[i]}, from
 * {@code low[i]} to {@code high[i]}) within a slope limit, and where they can be at another
 * height. No drift time enters, so the layer-efficiency test does not depend on the chamber's
 * t0 or drift velocity. The lines form a convex polygon in (a, b); a linear function's extremes
 * on it lie at its corners, the crossings of two of its edges, which are few enough to try all.
 */
final class Corridor {
  private static final double EPSILON = 1e-9;

  private Corridor() {}

  /**
   * Puts the lowest and highest x at height {@code at} of the lines through the first {@code n}
   * cells into {@code reach}; false if no line passes through them all.
   */
  static boolean reach(double[] z, double[] low, double[] high, int n, double maxSlope, double at, double[] reach) {
    // Edge k of the polygon: a + b z = value (a cell's side), or b = value (a slope limit).
    int edges = 2 * n + 2;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < edges; j++) {
      for (int k = j + 1; k < edges; k++) {
        double[] corner = crossing(z, low, high, n, maxSlope, j, k);
        if (corner != null && inside(z, low, high, n, maxSlope, corner[0], corner[1])) {
          double x = corner[0] + corner[1] * at;
          min = Math.min(min, x);
          max = Math.max(max, x);
        }
      }
    }
    reach[0] = min;
    reach[1] = max;
    return min <= max;
  }

  /** Where edges j and k cross, as (a, b); null if they are parallel. */
  private static double[] crossing(double[] z, double[] low, double[] high, int n, double maxSlope, int j, int k) {
    boolean jSlope = j >= 2 * n;
    boolean kSlope = k >= 2 * n;
    if (jSlope && kSlope) {
      return null;
    }
    if (kSlope) {
      double b = k == 2 * n ? -maxSlope : maxSlope;
      return new double[] {side(low, high, j) - b * z[j / 2], b};
    }
    double zj = z[j / 2];
    double zk = z[k / 2];
    if (zj == zk) {
      return null;
    }
    double b = (side(low, high, j) - side(low, high, k)) / (zj - zk);
    return new double[] {side(low, high, j) - b * zj, b};
  }

  private static double side(double[] low, double[] high, int edge) {
    return edge % 2 == 0 ? low[edge / 2] : high[edge / 2];
  }

  private static boolean inside(double[] z, double[] low, double[] high, int n, double maxSlope, double a, double b) {
    if (Math.abs(b) > maxSlope + EPSILON) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      double x = a + b * z[i];
      if (x < low[i] - EPSILON || x > high[i] + EPSILON) {
        return false;
      }
    }
    return true;
  }
}
