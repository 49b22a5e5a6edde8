package io.dtstream.quality;

import io.dtstream.contract.results.ResultMessage;
import io.dtstream.contract.results.ResultMessage.Chamber;
import io.dtstream.contract.results.ResultMessage.Histogram;
import io.dtstream.contract.results.ResultMessage.LayerEfficiency;
import io.dtstream.contract.results.ResultMessage.RangeHistogram;
import io.dtstream.contract.results.ResultMessage.Segments;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Adds up one chamber's histograms over windows: the DQM client's cumulative and rolling views,
 * which the fits then read. Every histogram of the message adds bin by bin; one that a window
 * lacks (a message of an older pipeline) adds nothing.
 */
public final class Sums {
  private Sums() {}

  /** The chamber of {@code a} and {@code b} together; either may be null (nothing yet). */
  public static Chamber add(Chamber a, Chamber b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return new Chamber(
        a.chamber(),
        a.hits() + b.hits(),
        add(a.occupancy(), b.occupancy()),
        add(a.activeChannelsPerOrbit(), b.activeChannelsPerOrbit()),
        add(a.scintillatorOccupancy(), b.scintillatorOccupancy()),
        add(a.driftTime(), b.driftTime()),
        add(a.driftTimeFine(), b.driftTimeFine()),
        add(a.meanTimer(), b.meanTimer()),
        add(a.layerEfficiency(), b.layerEfficiency()),
        add(a.segments(), b.segments()),
        a.crowdedOrbits() == null || b.crowdedOrbits() == null
            ? (a.crowdedOrbits() == null ? b.crowdedOrbits() : a.crowdedOrbits())
            : Long.valueOf(a.crowdedOrbits() + b.crowdedOrbits()));
  }

  private static Histogram add(Histogram a, Histogram b) {
    return a == null || b == null ? (a == null ? b : a) : new Histogram(a.binEdges(), add(a.counts(), b.counts()));
  }

  private static RangeHistogram add(RangeHistogram a, RangeHistogram b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return new RangeHistogram(a.binEdges(), add(a.counts(), b.counts()), a.underflow() + b.underflow(), a.overflow() + b.overflow());
  }

  private static LayerEfficiency add(LayerEfficiency a, LayerEfficiency b) {
    return a == null || b == null ? (a == null ? b : a) : new LayerEfficiency(add(a.tested(), b.tested()), add(a.found(), b.found()));
  }

  private static Segments add(Segments a, Segments b) {
    return a == null || b == null
        ? (a == null ? b : a)
        : new Segments(add(a.angle(), b.angle()), add(a.residual(), b.residual()), add(a.chi2PerNdf(), b.chi2PerNdf()));
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

  /** For a reader that has whole messages. */
  public static List<Chamber> of(List<ResultMessage> messages) {
    return chambers(messages.stream().map(ResultMessage::chambers).toList());
  }
}
