package io.dtstream.pipeline.stats;

import static io.dtstream.contract.model.Chambers.CHANNELS_PER_CHAMBER;
import static io.dtstream.contract.model.Chambers.COUNT;

import io.dtstream.contract.model.Chambers;
import io.dtstream.contract.model.Hit;
import io.dtstream.contract.results.Binning;
import java.util.Arrays;

/**
 * The mergeable accumulator of a window's rows (a block of orbits): its row counters and the hits it
 * has seen, each packed into one {@code long} (orbit, cell, time in the orbit), in one primitive
 * array. Orbit-level quantities (active channels, drift times against the orbit's earliest
 * scintillator hit) need every part of an orbit, which may sit in other records and partitions,
 * so they are computed only when the block is closed, after all its parts have met. Hits never
 * leave it as elements: only whole blocks cross a shuffle, and a block codes as one byte copy of
 * its array (a map of per-orbit summaries, coded field by field, cost the pipeline a third of its
 * CPU: README, "Where the time goes").
 */
public final class OrbitBlock {
  /** Packed hit: {@code orbit << 26 | code << 17 | ticksInOrbit} (ticks in an orbit < 2^17). */
  private static final int TICK_BITS = 17;

  private static final int CODE_BITS = 9;
  private static final int ORBIT_SHIFT = TICK_BITS + CODE_BITS;
  private static final long TICK_MASK = (1L << TICK_BITS) - 1;
  private static final int CODE_MASK = (1 << CODE_BITS) - 1;
  /** Codes below this are chamber cells, {@code chamber * 64 + localChannel}. */
  private static final int CELLS = COUNT * CHANNELS_PER_CHAMBER;

  private static final int SCINTILLATOR = CELLS;
  private static final int OTHER_UNMAPPED = CELLS + 1;
  private static final int NO_SCINTILLATOR = Integer.MAX_VALUE;
  private static final Binning DRIFT = Binning.DRIFT_TIME_NS;
  private static final Binning FINE = Binning.DRIFT_TIME_FINE_NS;

  /** Marks a row without a time: in detector time a malformed row has none. */
  public static final long NO_TIME = Long.MIN_VALUE;

  long rows;
  long ancillary;
  long malformed;
  long firstMillis = Long.MAX_VALUE;
  long lastMillis = Long.MIN_VALUE;
  long[] hits = new long[8];
  int size;

  public void addHit(int fpga, int channel, long orbit, int bx, int tdc, long millis) {
    countRow(millis);
    int chamber = Chambers.chamberOf(fpga, channel);
    int code =
        chamber != Chambers.UNMAPPED
            ? chamber * CHANNELS_PER_CHAMBER + Chambers.localChannel(channel)
            : Chambers.isScintillator(fpga, channel) ? SCINTILLATOR : OTHER_UNMAPPED;
    if (size == hits.length) {
      hits = Arrays.copyOf(hits, size * 2);
    }
    hits[size++] = orbit << ORBIT_SHIFT | (long) code << TICK_BITS | (bx * 30L + tdc);
  }

  public void addHit(Hit hit, long millis) {
    addHit(hit.fpga(), hit.channel(), hit.orbit(), hit.bx(), hit.tdc(), millis);
  }

  public void addAncillary(long millis) {
    countRow(millis);
    ancillary++;
  }

  /** @param millis the row's time, or {@link #NO_TIME} */
  public void addMalformed(long millis) {
    countRow(millis);
    malformed++;
  }

  private void countRow(long millis) {
    rows++;
    if (millis != NO_TIME) {
      firstMillis = Math.min(firstMillis, millis);
      lastMillis = Math.max(lastMillis, millis);
    }
  }

  /** Adds {@code other} into this, leaving {@code other} unchanged. */
  public OrbitBlock merge(OrbitBlock other) {
    rows += other.rows;
    ancillary += other.ancillary;
    malformed += other.malformed;
    firstMillis = Math.min(firstMillis, other.firstMillis);
    lastMillis = Math.max(lastMillis, other.lastMillis);
    if (hits.length - size < other.size) {
      hits = Arrays.copyOf(hits, Math.max(hits.length * 2, size + other.size));
    }
    System.arraycopy(other.hits, 0, hits, size, other.size);
    size += other.size;
    return this;
  }

  /**
   * Closes every orbit into the fixed-size window quantities, the DQM physics of orbits with a
   * scintillator hit included ({@link ChamberTracks}); this block is left unchanged.
   */
  public DetectorStats close() {
    DetectorStats stats = new DetectorStats();
    stats.rows = rows;
    stats.ancillary = ancillary;
    stats.malformed = malformed;
    stats.firstMillis = firstMillis;
    stats.lastMillis = lastMillis;
    stats.hits = size;
    long[] sorted = byOrbit();
    long[] masks = new long[COUNT];
    ChamberTracks[] tracks = new ChamberTracks[COUNT];
    Arrays.setAll(tracks, chamber -> new ChamberTracks());
    for (int from = 0; from < size; ) {
      long orbit = sorted[from] >>> ORBIT_SHIFT;
      int to = from;
      int scintillator = NO_SCINTILLATOR;
      Arrays.fill(masks, 0);
      for (; to < size && sorted[to] >>> ORBIT_SHIFT == orbit; to++) {
        int code = (int) (sorted[to] >>> TICK_BITS) & CODE_MASK;
        if (code < CELLS) {
          stats.occupancy[code]++;
          masks[code / CHANNELS_PER_CHAMBER] |= 1L << (code % CHANNELS_PER_CHAMBER);
        } else {
          stats.unmapped++;
          if (code == SCINTILLATOR) {
            stats.scintillator++;
            scintillator = Math.min(scintillator, (int) (sorted[to] & TICK_MASK));
          }
        }
      }
      stats.orbits++;
      for (int chamber = 0; chamber < COUNT; chamber++) {
        int active = Long.bitCount(masks[chamber]);
        if (active > 0) {
          stats.activeChannels[chamber * CHANNELS_PER_CHAMBER + active - 1]++;
        }
      }
      if (scintillator != NO_SCINTILLATOR) {
        stats.scintillatorOrbits++;
        for (int i = from; i < to; i++) {
          int code = (int) (sorted[i] >>> TICK_BITS) & CODE_MASK;
          if (code < CELLS) {
            long drift = addScintillatorHit(stats, code, (int) (sorted[i] & TICK_MASK), scintillator);
            tracks[code / CHANNELS_PER_CHAMBER].add(code % CHANNELS_PER_CHAMBER, drift);
          }
        }
        for (int chamber = 0; chamber < COUNT; chamber++) {
          tracks[chamber].close(stats, chamber);
        }
      }
      from = to;
    }
    return stats;
  }

  /** The hits with each orbit's together: as they are if already so (the usual case), else sorted. */
  private long[] byOrbit() {
    for (int i = 1; i < size; i++) {
      if (hits[i] >>> ORBIT_SHIFT < hits[i - 1] >>> ORBIT_SHIFT) {
        long[] sorted = Arrays.copyOf(hits, size);
        Arrays.sort(sorted);
        return sorted;
      }
    }
    return hits;
  }

  /** Fills the drift-time histograms with a hit of an orbit with a scintillator hit; its drift time in 1/30 ns. */
  private static long addScintillatorHit(DetectorStats stats, int cell, int tick, int scintillatorTick) {
    int chamber = cell / CHANNELS_PER_CHAMBER;
    stats.scintillatorOccupancy[cell]++;
    // In units of 1/30 ns: 1 tick = 25/30 ns and offsets are in tenths of ns (x3 = 1/30 ns).
    long drift = 25L * (tick - scintillatorTick) + 3L * Chambers.driftOffsetDeciNs(chamber);
    int bin = DRIFT.bin(drift, 30);
    if (bin < 0) {
      stats.driftUnderflow[chamber]++;
    } else if (bin >= DRIFT.bins) {
      stats.driftOverflow[chamber]++;
    } else {
      stats.driftTime[chamber * DRIFT.bins + bin]++;
    }
    stats.driftTimeFine[DetectorStats.rangeIndex(FINE, chamber, FINE.bin(drift, 30))]++;
    return drift;
  }

  /** No row at all: nothing to report. */
  public boolean isEmpty() {
    return rows == 0;
  }

  /** The distinct orbits among the hits. */
  public int openOrbits() {
    return (int) Arrays.stream(hits, 0, size).map(h -> h >>> ORBIT_SHIFT).distinct().count();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OrbitBlock other)) {
      return false;
    }
    long[] mine = Arrays.copyOf(hits, size);
    long[] theirs = Arrays.copyOf(other.hits, other.size);
    Arrays.sort(mine);
    Arrays.sort(theirs);
    return rows == other.rows
        && ancillary == other.ancillary
        && malformed == other.malformed
        && firstMillis == other.firstMillis
        && lastMillis == other.lastMillis
        && Arrays.equals(mine, theirs);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(rows) * 31 + size;
  }
}
