package io.dtstream.pipeline.stats;

import static io.dtstream.contract.model.Chambers.CHANNELS_PER_CHAMBER;
import static io.dtstream.contract.model.Chambers.COUNT;

import io.dtstream.contract.model.Chambers;
import io.dtstream.contract.results.Binning;
import io.dtstream.contract.model.Hit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The mergeable accumulator of one orbit block in one window: row counters and occupancy, plus a
 * compact summary of every orbit still open (active-channel bit sets, earliest scintillator time
 * and the packed times of chamber hits, which drift times need once the scintillator is known).
 * Hits never leave it as elements: only whole blocks cross a shuffle.
 */
public final class OrbitBlock {
  static final int NO_SCINTILLATOR = Integer.MAX_VALUE;
  /** Packed chamber hit: {@code cell << 17 | ticksInOrbit} (ticks in an orbit < 2^17). */
  private static final int TICK_BITS = 17;

  private static final int TICK_MASK = (1 << TICK_BITS) - 1;
  private static final Binning DRIFT = Binning.DRIFT_TIME_NS;

  final DetectorStats counts = new DetectorStats();
  final Map<Long, OrbitSummary> orbits = new HashMap<>();
  /** The orbit the last hit went to: the hits of an orbit mostly come one after another. */
  private OrbitSummary lastOrbit;

  private long lastOrbitNumber;

  /** Marks a row without a time: in detector time a malformed row has none. */
  public static final long NO_TIME = Long.MIN_VALUE;

  public void addHit(Hit hit, long millis) {
    countRow(millis);
    counts.hits++;
    if (lastOrbit == null || lastOrbitNumber != hit.orbit()) {
      lastOrbit = orbits.computeIfAbsent(hit.orbit(), o -> new OrbitSummary());
      lastOrbitNumber = hit.orbit();
    }
    OrbitSummary orbit = lastOrbit;
    int chamber = hit.chamber();
    if (chamber == Chambers.UNMAPPED) {
      counts.unmapped++;
      if (hit.isScintillator()) {
        counts.scintillator++;
        orbit.earliestScintillatorTick = Math.min(orbit.earliestScintillatorTick, hit.ticksInOrbit());
      }
      return;
    }
    int local = Chambers.localChannel(hit.channel());
    counts.occupancy[chamber * CHANNELS_PER_CHAMBER + local]++;
    orbit.activeMasks[chamber] |= 1L << local;
    orbit.addChamberHit((chamber * CHANNELS_PER_CHAMBER + local) << TICK_BITS | hit.ticksInOrbit());
  }

  public void addAncillary(long millis) {
    countRow(millis);
    counts.ancillary++;
  }

  /** @param millis the row's time, or {@link #NO_TIME} */
  public void addMalformed(long millis) {
    countRow(millis);
    counts.malformed++;
  }

  private void countRow(long millis) {
    counts.rows++;
    if (millis != NO_TIME) {
      counts.seenAt(millis);
    }
  }

  /** Adds {@code other} into this, leaving {@code other} unchanged. */
  public OrbitBlock merge(OrbitBlock other) {
    counts.add(other.counts);
    other.orbits.forEach(
        (orbit, summary) -> orbits.computeIfAbsent(orbit, o -> new OrbitSummary()).merge(summary));
    return this;
  }

  /** Closes every orbit into the fixed-size window quantities; this block is left unchanged. */
  public DetectorStats close() {
    DetectorStats stats = new DetectorStats().add(counts);
    for (OrbitSummary orbit : orbits.values()) {
      stats.orbits++;
      for (int chamber = 0; chamber < COUNT; chamber++) {
        int active = Long.bitCount(orbit.activeMasks[chamber]);
        if (active > 0) {
          stats.activeChannels[chamber * CHANNELS_PER_CHAMBER + active - 1]++;
        }
      }
      if (orbit.earliestScintillatorTick != NO_SCINTILLATOR) {
        stats.scintillatorOrbits++;
        for (int i = 0; i < orbit.hitCount; i++) {
          addScintillatorHit(stats, orbit.chamberHits[i], orbit.earliestScintillatorTick);
        }
      }
    }
    return stats;
  }

  private static void addScintillatorHit(DetectorStats stats, int packed, int scintillatorTick) {
    int cell = packed >>> TICK_BITS;
    int chamber = cell / CHANNELS_PER_CHAMBER;
    stats.scintillatorOccupancy[cell]++;
    // In units of 1/30 ns: 1 tick = 25/30 ns and offsets are in tenths of ns (x3 = 1/30 ns).
    long drift = 25L * ((packed & TICK_MASK) - scintillatorTick)
        + 3L * Chambers.driftOffsetDeciNs(chamber);
    long bin = Math.floorDiv(drift - 30L * DRIFT.first, 30L * DRIFT.width);
    if (bin < 0) {
      stats.driftUnderflow[chamber]++;
    } else if (bin >= DRIFT.bins) {
      stats.driftOverflow[chamber]++;
    } else {
      stats.driftTime[chamber * DRIFT.bins + (int) bin]++;
    }
  }

  /** No row at all: nothing to report. */
  public boolean isEmpty() {
    return counts.rows == 0;
  }

  public int openOrbits() {
    return orbits.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OrbitBlock other && counts.equals(other.counts) && orbits.equals(other.orbits);
  }

  @Override
  public int hashCode() {
    return counts.hashCode() * 31 + orbits.size();
  }

  /** What one orbit needs until it is closed. */
  static final class OrbitSummary {
    final long[] activeMasks = new long[COUNT];
    int earliestScintillatorTick = NO_SCINTILLATOR;
    int[] chamberHits = new int[2];
    int hitCount;

    void addChamberHit(int packed) {
      if (hitCount == chamberHits.length) {
        chamberHits = Arrays.copyOf(chamberHits, hitCount * 2);
      }
      chamberHits[hitCount++] = packed;
    }

    void merge(OrbitSummary other) {
      for (int c = 0; c < COUNT; c++) {
        activeMasks[c] |= other.activeMasks[c];
      }
      earliestScintillatorTick = Math.min(earliestScintillatorTick, other.earliestScintillatorTick);
      for (int i = 0; i < other.hitCount; i++) {
        addChamberHit(other.chamberHits[i]);
      }
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof OrbitSummary other)) {
        return false;
      }
      int[] mine = Arrays.copyOf(chamberHits, hitCount);
      int[] theirs = Arrays.copyOf(other.chamberHits, other.hitCount);
      Arrays.sort(mine);
      Arrays.sort(theirs);
      return Arrays.equals(activeMasks, other.activeMasks)
          && earliestScintillatorTick == other.earliestScintillatorTick
          && Arrays.equals(mine, theirs);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(activeMasks);
    }
  }
}
