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
   * Puts the lowest and highest x at height {@code at} of the lines through the cells into {@code
   * reach}; false if no line passes through them all.
   */
  static boolean reach(double[] z, double[] low, double[] high, double maxSlope, double at, double[] reach) {
    int n = z.length;
    // Edge k of the polygon: a + b z = value (a cell's side), or b = value (a slope limit).
    int edges = 2 * n + 2;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < edges; j++) {
      for (int k = j + 1; k < edges; k++) {
        // where edges j and k cross, as (a, b); two slope limits, or two sides of one cell, never do
        double a;
        double b;
        if (k >= 2 * n) {
          if (j >= 2 * n) {
            continue;
          }
          b = k == 2 * n ? -maxSlope : maxSlope;
          a = side(low, high, j) - b * z[j / 2];
        } else if (z[j / 2] == z[k / 2]) {
          continue;
        } else {
          b = (side(low, high, j) - side(low, high, k)) / (z[j / 2] - z[k / 2]);
          a = side(low, high, j) - b * z[j / 2];
        }
        if (inside(z, low, high, maxSlope, a, b)) {
          min = Math.min(min, a + b * at);
          max = Math.max(max, a + b * at);
        }
      }
    }
    reach[0] = min;
    reach[1] = max;
    return min <= max;
  }

  private static double side(double[] low, double[] high, int edge) {
    return edge % 2 == 0 ? low[edge / 2] : high[edge / 2];
  }

  private static boolean inside(double[] z, double[] low, double[] high, double maxSlope, double a, double b) {
    if (Math.abs(b) > maxSlope + EPSILON) {
      return false;
    }
    for (int i = 0; i < z.length; i++) {
      double x = a + b * z[i];
      if (x < low[i] - EPSILON || x > high[i] + EPSILON) {
        return false;
      }
    }
    return true;
  }
}
