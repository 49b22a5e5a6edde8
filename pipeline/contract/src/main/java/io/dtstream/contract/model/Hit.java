package io.dtstream.contract.model;

/**
 * A TDC hit (HEAD == 2) that passed the parsing rules: FPGA 0 or 1, BX 0-3563, TDC 0-31.
 *
 * @param channel TDC_CHANNEL, saturated at {@link Integer#MAX_VALUE} (any such value is unmapped)
 */
public record Hit(int fpga, int channel, long orbit, int bx, int tdc) implements ParsedRow {

  /** Chamber 0-3 of this hit, or {@link Chambers#UNMAPPED} for channels >= 128. */
  public int chamber() {
    return Chambers.chamberOf(fpga, channel);
  }

  public boolean isScintillator() {
    return Chambers.isScintillator(fpga, channel);
  }

  /** Exact time in TDC ticks (1/30 BX) since orbit 0. */
  public long ticks() {
    return DetectorClock.ticks(orbit, bx, tdc);
  }

  /** Time in TDC ticks since the start of this hit's orbit; fits in 17 bits. */
  public int ticksInOrbit() {
    return bx * DetectorClock.TICKS_PER_BX + tdc;
  }
}
