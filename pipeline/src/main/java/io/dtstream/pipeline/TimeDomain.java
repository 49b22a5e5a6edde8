package io.dtstream.pipeline;

/**
 * Which clock puts a row into a window. Lower-case because the constants are the option values
 * users type ({@code --timeDomain=detector}).
 */
public enum TimeDomain {
  /** The record's timestamp: the Kafka record time, or the read time for files. */
  ingest,
  /** The row's own ORBIT_CNT and BX_COUNTER: the same windows at any replay rate. */
  detector
}
