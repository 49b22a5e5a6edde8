package io.dtstream.quality;

import io.dtstream.contract.model.Cells;
import io.dtstream.contract.results.ResultMessage.RangeHistogram;
import org.apache.commons.math3.special.Erf;

/**
 * A chamber's time box ({@code driftTimeFine}) fitted at both edges (README, "DQM physics"): t0
 * is the rising edge's 50 % point, Tmax the falling edge's 50 % point minus t0, the drift velocity
 * half a cell over Tmax. Errors are the fits' standard errors (Tmax's from both edges).
 *
 * @param entries the histogram's entries within its range
 * @param edges the fitted curves, to draw over the histogram (null unless the fit is ok)
 */
public record TimeBox(
    long entries,
    Double t0Ns,
    Double t0ErrorNs,
    Double tMaxNs,
    Double tMaxErrorNs,
    Double driftVelocityUmPerNs,
    Status status,
    Edges edges) {

  /**
   * Both edges' curves: {@code background + amplitude/2 * (1 + erf((t - t50Ns)/(sigmaNs sqrt 2)))}
   * rising, {@code ... erfc(...)} falling, in counts per bin of {@code driftTimeFine}.
   */
  public record Edges(Curve rising, Curve falling) {
    /** The time box's curve at t: the rising edge before the middle of the box, the falling one after. */
    public double at(double t) {
      return t < (rising.t50Ns + falling.t50Ns) / 2 ? rising.at(t, 1) : falling.at(t, -1);
    }
  }

  /** One fitted edge: its flat background and height (counts per bin), its 50 % point and its width (ns). */
  public record Curve(double background, double amplitude, double t50Ns, double sigmaNs) {
    double at(double t, double sign) {
      return background + amplitude / 2 * (1 + sign * Erf.erf((t - t50Ns) / (sigmaNs * Math.sqrt(2))));
    }
  }

  /** Fewer entries than this are not fitted: an edge needs some hundred entries in its bins. */
  public static final long MIN_ENTRIES = 2_000;

  /** Bins around each edge's first estimate that its fit sees, ns. */
  private static final double RISING_WINDOW_NS = 30;

  private static final double FALLING_WINDOW_NS = 40;
  /** The first bins, before any drift time, estimate the flat background. */
  private static final int BACKGROUND_BINS = 8;

  private static TimeBox without(long entries, Status status) {
    return new TimeBox(entries, null, null, null, null, null, status, null);
  }

  /** Fits {@code histogram} (null, as in an older message, is no entries). */
  public static TimeBox fit(RangeHistogram histogram) {
    if (histogram == null) {
      return without(0, Status.insufficient);
    }
    Histograms.Binned h = Histograms.binned(histogram);
    if (h.entries() < MIN_ENTRIES) {
      return without(h.entries(), Status.insufficient);
    }
    double[] smooth = h.smoothed(2);
    double background = h.mean(0, BACKGROUND_BINS);
    double peak = Histograms.max(smooth);
    double half = background + (peak - background) / 2;
    int rise = 0;
    while (rise < smooth.length && smooth[rise] < half) {
      rise++;
    }
    int fall = smooth.length - 1;
    while (fall > 0 && smooth[fall] < half) {
      fall--;
    }
    if (fall - rise < 8) {
      return without(h.entries(), Status.failed);
    }
    double tRise = h.centre(rise);
    double tFall = h.centre(fall);
    if (tRise - RISING_WINDOW_NS < h.edges()[0] || tFall + FALLING_WINDOW_NS > h.edges()[h.edges().length - 1]) {
      return without(h.entries(), Status.failed); // an edge at the histogram's end cannot be fitted
    }
    double plateauAfterRise = h.meanBetween(tRise + 10, tRise + 40) - background;
    double plateauBeforeFall = h.meanBetween(tFall - 40, tFall - 10) - background;
    EdgeFit.Edge rising =
        h.fitEdge(tRise - RISING_WINDOW_NS, tRise + RISING_WINDOW_NS, true,
            new double[] {background, plateauAfterRise, tRise, 3});
    EdgeFit.Edge falling =
        h.fitEdge(tFall - FALLING_WINDOW_NS, tFall + FALLING_WINDOW_NS, false,
            new double[] {background, plateauBeforeFall, tFall, 5});
    if (!plausible(rising, tRise, RISING_WINDOW_NS) || !plausible(falling, tFall, FALLING_WINDOW_NS)
        || falling.curve().t50Ns() <= rising.curve().t50Ns()
        || falling.curve().amplitude() > 4 * rising.curve().amplitude()
        || rising.curve().amplitude() > 4 * falling.curve().amplitude()) {
      return without(h.entries(), Status.failed);
    }
    double tMax = falling.curve().t50Ns() - rising.curve().t50Ns();
    return new TimeBox(
        h.entries(),
        rising.curve().t50Ns(),
        rising.t50Error(),
        tMax,
        Math.hypot(rising.t50Error(), falling.t50Error()),
        1000 * Cells.HALF_CELL_MM / tMax,
        Status.ok,
        new Edges(rising.curve(), falling.curve()));
  }

  /**
   * An edge worth its name: it stands above its background, its 50 % point stays near where the
   * histogram crosses half height and its width within half the fit's window. A box of unequal
   * edges (one over 4 times the other's height) is not a time box either.
   */
  private static boolean plausible(EdgeFit.Edge edge, double estimate, double window) {
    return edge != null
        && edge.curve().amplitude() > Math.abs(edge.curve().background())
        && Math.abs(edge.curve().t50Ns() - estimate) <= window / 2
        && edge.curve().sigmaNs() <= window / 2;
  }
}
