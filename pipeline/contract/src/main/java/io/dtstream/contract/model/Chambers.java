package io.dtstream.contract.model;

/** The mapping of (FPGA, TDC_CHANNEL) to the four chambers, and the scintillator. */
public final class Chambers {
  public static final int COUNT = 4;
  public static final int CHANNELS_PER_CHAMBER = 64;
  public static final int UNMAPPED = -1;
  public static final int SCINTILLATOR_FPGA = 1;
  public static final int SCINTILLATOR_CHANNEL = 128;

  /**
   * Scintillator delay minus each chamber's own offset, in tenths of a ns (95.0-1.1, 95.0+6.4,
   * 95.0+0.5, 95.0-2.6): integers, so drift-time binning is exact.
   */
  private static final int[] DRIFT_OFFSET_DECI_NS = {939, 1014, 955, 924};

  private Chambers() {}

  /** Chamber 0: FPGA 0 ch 0-63, 1: FPGA 0 ch 64-127, 2: FPGA 1 ch 0-63, 3: FPGA 1 ch 64-127. */
  public static int chamberOf(int fpga, int channel) {
    if (channel < 0 || channel >= 2 * CHANNELS_PER_CHAMBER || fpga < 0 || fpga > 1) {
      return UNMAPPED;
    }
    return fpga * 2 + channel / CHANNELS_PER_CHAMBER;
  }

  /** The cell index 0-63 within the chamber. */
  public static int localChannel(int channel) {
    return channel % CHANNELS_PER_CHAMBER;
  }

  public static boolean isScintillator(int fpga, int channel) {
    return fpga == SCINTILLATOR_FPGA && channel == SCINTILLATOR_CHANNEL;
  }

  /** Offset added to {@code t_hit - t_scint} for this chamber, in tenths of a ns. */
  public static int driftOffsetDeciNs(int chamber) {
    return DRIFT_OFFSET_DECI_NS[chamber];
  }
}
