package io.dtstream.quality;

import io.dtstream.contract.results.ResultMessage.Chamber;
import io.dtstream.contract.results.ResultMessage.Histogram;
import io.dtstream.contract.results.ResultMessage.LayerEfficiency;
import io.dtstream.contract.results.ResultMessage.RangeHistogram;
import io.dtstream.contract.results.ResultMessage.Segments;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * Adds up one chamber's histograms over windows: the DQM client's cumulative and rolling views,
 * which the fits then read. Every histogram of the message adds bin by bin; one that a window
 * lacks (a message of an older pipeline) adds nothing.
 */
public final class Sums {
  private Sums() {}

  /** The chamber of {@code a} and {@code b} together; either may be null (nothing yet). */
  public static Chamber add(Chamber a, Chamber b) {
    return either(a, b, (x, y) -> new Chamber(
        x.chamber(),
        x.hits() + y.hits(),
        add(x.occupancy(), y.occupancy()),
        add(x.activeChannelsPerOrbit(), y.activeChannelsPerOrbit()),
        add(x.scintillatorOccupancy(), y.scintillatorOccupancy()),
        add(x.driftTime(), y.driftTime()),
        add(x.driftTimeFine(), y.driftTimeFine()),
        add(x.meanTimer(), y.meanTimer()),
        either(x.layerEfficiency(), y.layerEfficiency(),
            (e, f) -> new LayerEfficiency(add(e.tested(), f.tested()), add(e.found(), f.found()))),
        either(x.segments(), y.segments(),
            (s, t) -> new Segments(add(s.angle(), t.angle()), add(s.residual(), t.residual()), add(s.chi2PerNdf(), t.chi2PerNdf()))),
        either(x.crowdedOrbits(), y.crowdedOrbits(), Long::sum)));
  }

  /** {@code both} of two values, or the one that is not null (a part an older message lacks). */
  private static <T> T either(T a, T b, BinaryOperator<T> both) {
    return a == null ? b : b == null ? a : both.apply(a, b);
  }

  private static Histogram add(Histogram a, Histogram b) {
    return either(a, b, (x, y) -> new Histogram(x.binEdges(), add(x.counts(), y.counts())));
  }

  private static RangeHistogram add(RangeHistogram a, RangeHistogram b) {
    return either(a, b, (x, y) ->
        new RangeHistogram(x.binEdges(), add(x.counts(), y.counts()), x.underflow() + y.underflow(), x.overflow() + y.overflow()));
  }

  private static long[] add(long[] a, long[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("histograms of " + a.length + " and " + b.length + " bins do not add up");
    }
    long[] sum = Arrays.copyOf(a, a.length);
    for (int i = 0; i < sum.length; i++) {
      sum[i] += b[i];
    }
    return sum;
  }

  /** Every chamber of the messages added up, chamber by chamber; an empty list gives no chambers. */
  public static List<Chamber> chambers(List<List<Chamber>> windows) {
    List<Chamber> total = new ArrayList<>();
    for (List<Chamber> window : windows) {
      for (int c = 0; c < window.size(); c++) {
        if (c == total.size()) {
          total.add(window.get(c));
        } else {
          total.set(c, add(total.get(c), window.get(c)));
        }
      }
    }
    return total;
  }
}
