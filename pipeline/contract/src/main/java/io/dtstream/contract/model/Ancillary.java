package io.dtstream.contract.model;

/**
 * An ancillary DAQ word (HEAD 0, 1, 3, 4 or 5): dropped by cleansing, but counted. Its
 * ORBIT_CNT and BX_COUNTER still give it a detector time (BX may exceed 3563 in HEAD 3 words).
 *
 * @param bx BX_COUNTER, saturated at {@link Long#MAX_VALUE}
 */
public record Ancillary(int head, long orbit, long bx) implements ParsedRow {}
