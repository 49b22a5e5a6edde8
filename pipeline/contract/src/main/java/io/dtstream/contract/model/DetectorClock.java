package io.dtstream.contract.model;

/**
 * The detector's time model: 1 orbit = 3564 BX, 1 BX = 25 ns, 1 TDC tick = 1/30 BX. Times are
 * kept as exact integer ticks; detector time starts at orbit 0 (the Unix epoch).
 */
public final class DetectorClock {
  public static final int BX_PER_ORBIT = 3564;
  public static final int TICKS_PER_BX = 30;
  public static final int NS_PER_BX = 25;

  /** Caps a BX_COUNTER of an ancillary word so that time arithmetic cannot overflow. */
  private static final long MAX_BX = 1L << 40;

  private DetectorClock() {}

  /** {@code ((ORBIT_CNT * 3564) + BX_COUNTER) * 30 + TDC_MEAS}. */
  public static long ticks(long orbit, int bx, int tdc) {
    return (orbit * BX_PER_ORBIT + bx) * TICKS_PER_BX + tdc;
  }

  /** A row's time in detector time, in epoch ms: its ORBIT_CNT and BX_COUNTER, to the ms. */
  public static long rowMillis(long orbit, long bx) {
    long ns = (orbit * BX_PER_ORBIT + Math.min(bx, MAX_BX)) * NS_PER_BX;
    return Math.floorDiv(ns, 1_000_000L);
  }
}
