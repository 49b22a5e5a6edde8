package io.dtstream.injector;

/**
 * The partition of each record the injector sends: its first hit's ORBIT_CNT modulo the number of
 * partitions. The rows of one orbit (one trigger's hits, which the DAQ may interleave with other
 * orbits' rows) go to one partition, and since consecutive triggers have other orbits, every
 * partition gets rows all the time. A record without a hit goes where the record before it went.
 *
 * <p>Why: the pipeline's watermark is the slowest partition's. The producer's own choice (one
 * partition filled with a 128 kB batch, then the next) left each partition about 11 s without a
 * row at 1,000 rows/s, and the FlinkRunner's windows came out 4-21 s after their end (2026-12-03).
 * Keeping an orbit together matters to the SparkRunner, whose watermark is the fastest
 * partition's: the part of an orbit in a slower partition can arrive after its window has fired.
 */
final class OrbitPartitions {
  /** No hit in the record: it carries no orbit of its own. */
  static final long NO_ORBIT = -1;

  private final int partitions;
  private int current;

  OrbitPartitions(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException("a topic has at least one partition, not " + partitions);
    }
    this.partitions = partitions;
  }

  /** The partition of the next record, given its first hit's orbit ({@link #NO_ORBIT} if none). */
  int next(long firstHitOrbit) {
    if (firstHitOrbit != NO_ORBIT) {
      current = (int) Math.floorMod(firstHitOrbit, (long) partitions);
    }
    return current;
  }
}
