package io.dtstream.pipeline.stats;

import static io.dtstream.contract.model.Chambers.CHANNELS_PER_CHAMBER;
import static io.dtstream.contract.model.Cells.LAYERS;
import static io.dtstream.contract.model.Chambers.COUNT;

import io.dtstream.contract.results.Binning;
import java.io.Serializable;
import java.util.Arrays;

/**
 * All per-window quantities of the results message (README, "The results message"), in a fixed size: counters and histograms that
 * merge by addition. Orbit-level quantities arrive here only once their orbits are complete (see
 * {@link OrbitBlock#close()}). Serializable because an empty one is the default of a summary.
 */
public final class DetectorStats implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final int DRIFT_BINS = Binning.DRIFT_TIME_NS.bins;
  static final int CELLS = COUNT * CHANNELS_PER_CHAMBER;

  public long rows;
  public long hits;
  public long ancillary;
  public long malformed;
  public long unmapped;
  public long scintillator;
  public long orbits;
  public long scintillatorOrbits;
  public long late;
  /** Earliest and latest row time seen (epoch ms), for windows that span the data. */
  public long firstMillis = Long.MAX_VALUE;
  public long lastMillis = Long.MIN_VALUE;

  /** Indexed by {@code chamber * 64 + localChannel}. */
  public final long[] occupancy = new long[CELLS];
  /** Indexed by {@code chamber * 64 + (activeChannels - 1)}. */
  public final long[] activeChannels = new long[CELLS];
  public final long[] scintillatorOccupancy = new long[CELLS];
  /** Indexed by {@code chamber * 80 + bin}. */
  public final long[] driftTime = new long[COUNT * DRIFT_BINS];
  public final long[] driftUnderflow = new long[COUNT];
  public final long[] driftOverflow = new long[COUNT];

  // The DQM physics (README, "DQM physics"): each histogram per chamber as underflow, bins,
  // overflow; see rangeIndex.
  public final long[] driftTimeFine = range(Binning.DRIFT_TIME_FINE_NS);
  public final long[] meanTimer = range(Binning.MEAN_TIMER_NS);
  public final long[] segmentAngle = range(Binning.SEGMENT_ANGLE_DEG);
  public final long[] segmentResidual = range(Binning.RESIDUAL_UM);
  public final long[] segmentChi2PerNdf = range(Binning.CHI2_PER_NDF);
  /** Indexed by {@code chamber * 4 + layer - 1}. */
  public final long[] layerTested = new long[COUNT * LAYERS];
  public final long[] layerFound = new long[COUNT * LAYERS];
  public final long[] crowdedOrbits = new long[COUNT];

  private static long[] range(Binning binning) {
    return new long[COUNT * (binning.bins + 2)];
  }

  /**
   * Where a chamber's bin (-1 underflow, {@code bins} overflow, as {@link Binning#bin} gives) is
   * in an array of {@link #range}: {@code chamber * (bins + 2) + bin + 1}.
   */
  public static int rangeIndex(Binning binning, int chamber, int bin) {
    return chamber * (binning.bins + 2) + bin + 1;
  }

  public long chamberHits(int chamber) {
    long sum = 0;
    for (int k = 0; k < CHANNELS_PER_CHAMBER; k++) {
      sum += occupancy[chamber * CHANNELS_PER_CHAMBER + k];
    }
    return sum;
  }

  public boolean hasTime() {
    return firstMillis <= lastMillis;
  }

  /** Adds {@code other} into this. */
  public DetectorStats add(DetectorStats other) {
    rows += other.rows;
    hits += other.hits;
    ancillary += other.ancillary;
    malformed += other.malformed;
    unmapped += other.unmapped;
    scintillator += other.scintillator;
    orbits += other.orbits;
    scintillatorOrbits += other.scintillatorOrbits;
    late += other.late;
    firstMillis = Math.min(firstMillis, other.firstMillis);
    lastMillis = Math.max(lastMillis, other.lastMillis);
    long[][] mine = histograms();
    long[][] theirs = other.histograms();
    for (int h = 0; h < mine.length; h++) {
      addInto(mine[h], theirs[h]);
    }
    return this;
  }

  private static void addInto(long[] target, long[] source) {
    for (int i = 0; i < target.length; i++) {
      target[i] += source[i];
    }
  }

  long[] counters() {
    return new long[] {
      rows, hits, ancillary, malformed, unmapped, scintillator, orbits, scintillatorOrbits, late,
      firstMillis, lastMillis
    };
  }

  void setCounters(long[] c) {
    rows = c[0];
    hits = c[1];
    ancillary = c[2];
    malformed = c[3];
    unmapped = c[4];
    scintillator = c[5];
    orbits = c[6];
    scintillatorOrbits = c[7];
    late = c[8];
    firstMillis = c[9];
    lastMillis = c[10];
  }

  /** Every histogram, each in one array: what adds, codes and compares bin by bin. */
  long[][] histograms() {
    return new long[][] {
      occupancy, activeChannels, scintillatorOccupancy, driftTime, driftUnderflow, driftOverflow,
      driftTimeFine, meanTimer, segmentAngle, segmentResidual, segmentChi2PerNdf, layerTested,
      layerFound, crowdedOrbits
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DetectorStats other
        && Arrays.equals(counters(), other.counters())
        && Arrays.deepEquals(histograms(), other.histograms());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(counters());
  }

  @Override
  public String toString() {
    return "DetectorStats" + Arrays.toString(counters());
  }
}
