package io.dtstream.pipeline;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** How rows are grouped into windows; shared by the batch and the streaming commands. */
public interface WindowOptions extends PipelineOptions {
  @Description("Size of the fixed windows, in seconds.")
  @Default.Integer(5)
  int getWindowSeconds();

  void setWindowSeconds(int value);

  @Description(
      "Event time of a row: 'ingest' (the record's timestamp) or 'detector' (its ORBIT_CNT and "
          + "BX_COUNTER, so a replay gives the same windows at any rate).")
  @Default.Enum("ingest")
  TimeDomain getTimeDomain();

  void setTimeDomain(TimeDomain value);

  @Description(
      "How long after a window's end late rows still update it (the window is emitted again, "
          + "with the same key); rows later than that are dropped by the runner.")
  @Default.Integer(300)
  int getAllowedLatenessSeconds();

  void setAllowedLatenessSeconds(int value);
}
