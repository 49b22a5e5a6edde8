package io.dtstream.dashboard;

/**
 * One window as the dashboard shows it: its results, when the pipeline published them (the Kafka
 * record timestamp) and its quality alarms.
 */
public record LiveWindow(WindowResults results, long publishedAtMillis, QualityAlarms.Report alarms) {

  /** Seconds from the end of the window to its publication: how far the pipeline runs behind. */
  public double pipelineDelaySeconds() {
    return (publishedAtMillis - results.endInstant().toEpochMilli()) / 1000.0;
  }

  /** Rows per second of detector input in this window. */
  public double rowsPerSecond() {
    return results.counts().rows() / results.seconds();
  }
}
