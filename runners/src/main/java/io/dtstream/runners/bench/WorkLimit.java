package io.dtstream.runners.bench;

import io.dtstream.contract.model.Ancillary;
import io.dtstream.contract.model.DetectorClock;
import io.dtstream.contract.model.Hit;
import io.dtstream.contract.model.Malformed;
import io.dtstream.contract.model.ParsedRow;
import io.dtstream.contract.model.RowParser;
import io.dtstream.pipeline.stats.DetectorStats;
import io.dtstream.pipeline.stats.OrbitBlock;
import io.dtstream.pipeline.transforms.FormatResults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The work itself, without an engine: the pipeline's own parser and accumulators ({@link
 * RowParser}, {@link OrbitBlock}, {@link DetectorStats}) and its message format, in one plain
 * thread, in detector time. What the pipeline reaches of this rate is the benchmark's work ratio:
 * the share of its CPU that goes to the work rather than to the framework around it.
 */
final class WorkLimit implements TimedRead.Work {
  /** The key of the blocks that hold only row counters, as in the pipeline. */
  private static final long BOOKKEEPING = -1L;

  private final long windowMillis;
  /** Per window start, the blocks of its orbit-block keys. */
  private final Map<Long, Map<Long, OrbitBlock>> blocks = new HashMap<>();

  private long rows;
  private long malformed;

  WorkLimit(Duration window) {
    this.windowMillis = window.toMillis();
  }

  /** Adds one record: one CSV row, or several separated by line breaks. */
  @Override
  public void add(String record) {
    for (String line : RowParser.lines(record)) {
      ParsedRow row = RowParser.parse(line);
      if (row instanceof Hit hit) {
        rows++;
        long millis = DetectorClock.rowMillis(hit.orbit(), hit.bx());
        block(millis, DetectorClock.orbitBlock(hit.orbit())).addHit(hit, millis);
      } else if (row instanceof Ancillary word) {
        rows++;
        long millis = DetectorClock.rowMillis(word.orbit(), word.bx());
        block(millis, BOOKKEEPING).addAncillary(millis);
      } else if (row instanceof Malformed) {
        rows++;
        malformed++; // no detector time: the pipeline counts it as a dead letter only
      }
    }
  }

  private OrbitBlock block(long millis, long key) {
    long start = Math.floorDiv(millis, windowMillis) * windowMillis;
    return blocks.computeIfAbsent(start, s -> new HashMap<>()).computeIfAbsent(key, k -> new OrbitBlock());
  }

  /** Rows seen (blank and header lines are not rows). */
  @Override
  public long rows() {
    return rows;
  }

  long malformed() {
    return malformed;
  }

  /** Every window's quantities by window start: orbits closed, blocks summed. */
  SortedMap<Long, DetectorStats> windows() {
    SortedMap<Long, DetectorStats> windows = new TreeMap<>();
    blocks.forEach(
        (start, byKey) -> {
          DetectorStats sum = new DetectorStats();
          byKey.values().forEach(block -> sum.add(block.close()));
          windows.put(start, sum);
        });
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
