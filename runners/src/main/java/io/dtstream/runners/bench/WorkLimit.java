package io.dtstream.runners.bench;

import io.dtstream.pipeline.TimeDomain;
import io.dtstream.pipeline.stats.DetectorStats;
import io.dtstream.pipeline.transforms.BundleSummary;
import io.dtstream.pipeline.transforms.FormatResults;
import io.dtstream.pipeline.transforms.Windowing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Instant;

/**
 * The work itself, without an engine: the pipeline's own summary of rows into orbit blocks
 * ({@link BundleSummary}, the same code its bundles run), the closing of the blocks and the
 * message format, in one plain thread, in detector time. What the pipeline reaches of this rate is
 * the benchmark's work ratio: the share of its CPU that goes to the work rather than to the
 * framework around it.
 */
final class WorkLimit implements TimedRead.Work {
  private static final Instant NO_RECORD_TIME = new Instant(0);

  private final long windowMillis;
  private final BundleSummary summary;
  private long malformed;

  WorkLimit(Duration window) {
    this.windowMillis = window.toMillis();
    this.summary =
        new BundleSummary(
            TimeDomain.detector,
            Windowing.fixed(org.joda.time.Duration.millis(windowMillis), org.joda.time.Duration.ZERO),
            (line, reason) -> malformed++); // no detector time: the pipeline counts it as a dead letter only
  }

  /** Adds one record: one CSV row, or several separated by line breaks. */
  @Override
  public void add(byte[] record) {
    summary.add(record, NO_RECORD_TIME);
  }

  /** Rows seen (blank and header lines are not rows). */
  @Override
  public long rows() {
    return summary.rows();
  }

  long malformed() {
    return malformed;
  }

  /** Every window's quantities by window start: its orbits closed. */
  SortedMap<Long, DetectorStats> windows() {
    SortedMap<Long, DetectorStats> windows = new TreeMap<>();
    summary.forEach((window, block) -> windows.put(((IntervalWindow) window).start().getMillis(), block.close()));
    return windows;
  }

  /** Every window's results message, as the pipeline writes it. */
  List<String> messages() {
    List<String> messages = new ArrayList<>();
    windows().forEach(
        (start, stats) ->
            messages.add(FormatResults.message(stats, start, start + windowMillis, "detector").toJson()));
    return messages;
  }

  /**
   * Rows/s of the work over a whole topic of {@code rows} rows, read with a plain consumer, the
   * messages of every window included.
   */
  static double rowsPerSecond(String bootstrapServers, String topic, long rows, Duration window) {
    return TimedRead.rowsPerSecond(bootstrapServers, topic, rows, () -> new WorkLimit(window));
  }

  @Override
  public void finish() {
    if (messages().isEmpty()) {
      throw new IllegalStateException("the work limit found no window");
    }
  }
}
