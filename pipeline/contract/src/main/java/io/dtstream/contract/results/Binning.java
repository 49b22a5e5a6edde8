package io.dtstream.contract.results;

import io.dtstream.contract.model.Chambers;
import java.util.stream.IntStream;

/**
 * The bins of every histogram of the results message, defined once: the pipeline fills them, the
 * message carries their edges, the JSON Schema's edges are checked against them (see {@code
 * ResultsSchemaTest}), and readers take sizes and edges from here or from the message. Bins are
 * half-open {@code [edge_k, edge_k+1)}; values outside go to a histogram's underflow and overflow
 * where it has them.
 */
public enum Binning {
  /** Hits per local channel {@code TDC_CHANNEL % 64}: bin k is channel k. */
  CHANNEL(0, 1, Chambers.CHANNELS_PER_CHAMBER),
  /** Orbits by distinct channels hit in a chamber: bin k is k+1 channels. */
  ACTIVE_CHANNELS(1, 1, Chambers.CHANNELS_PER_CHAMBER),
  /** Drift time {@code t_hit - t_scint + offset}, ns: 80 bins of 10 ns from -200 ns. */
  DRIFT_TIME_NS(-200, 10, 80),
  /**
   * The same drift time for the edge fits: 2.5 ns is 3 TDC ticks, so every bin holds as many of
   * the 25/30 ns lattice points as every other.
   */
  DRIFT_TIME_FINE_NS(-100, 2.5, 240),
  /** Meantimer {@code (t_a + t_c)/2 + t_b}, ns: it peaks at Tmax. */
  MEAN_TIMER_NS(250, 2.5, 100),
  /** A segment's angle to the normal of the layers, degrees, positive as x grows with z. */
  SEGMENT_ANGLE_DEG(-60, 2, 60),
  /** A hit's distance from its segment, um (hit minus fit). */
  RESIDUAL_UM(-2000, 100, 40),
  /** A segment's chi2 per degree of freedom. */
  CHI2_PER_NDF(0, 0.5, 20);

  /** The lower edge of the first bin, the width of a bin and their number. */
  public final double first;

  public final double width;
  public final int bins;

  Binning(double first, double width, int bins) {
    this.first = first;
    this.width = width;
    this.bins = bins;
  }

  /** The upper edge of the last bin. */
  public double last() {
    return first + width * bins;
  }

  /** The bin of {@code value}: -1 below the first edge, {@link #bins} at or above the last. */
  public int bin(double value) {
    double k = Math.floor((value - first) / width);
    return k < 0 ? -1 : k >= bins ? bins : (int) k;
  }

  /**
   * The bin of {@code value / unitsPerUnit}, in integers, so that values on a lattice (drift
   * times are multiples of 1/30 ns) fall in the same bin on every machine: -1 below the first
   * edge, {@link #bins} at or above the last. The edges must be whole in those units.
   */
  public int bin(long value, int unitsPerUnit) {
    long k = Math.floorDiv(value - Math.round(first * unitsPerUnit), Math.round(width * unitsPerUnit));
    return k < 0 ? -1 : k >= bins ? bins : (int) k;
  }

  /** The {@code bins + 1} edges, as the message carries them. */
  public double[] edges() {
    return IntStream.rangeClosed(0, bins).mapToDouble(i -> first + i * width).toArray();
  }
}
