package io.dtstream.pipeline.transforms;

import io.dtstream.contract.model.DetectorClock;
import io.dtstream.contract.model.RowParser;
import io.dtstream.pipeline.TimeDomain;
import io.dtstream.pipeline.stats.OrbitBlock;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Instant;

/**
 * The rows of many records summarized into {@link OrbitBlock}s, one per window: the
 * pre-aggregation of README, "How it computes". Plain Java, so the pipeline's bundles
 * ({@link SummarizeRowsFn}) and the benchmark's work limit do exactly the same work. Records are
 * scanned as bytes, with no object per row.
 */
public final class BundleSummary implements RowParser.RowSink {
  /** Receives each block with its window. */
  public interface BlockReceiver {
    void accept(BoundedWindow window, OrbitBlock block);
  }

  /** Receives each malformed row. */
  public interface DeadLetterReceiver {
    void accept(String line, String reason);
  }

  private final TimeDomain timeDomain;
  private final Windowing windowing;
  private final DeadLetterReceiver deadLetters;
  private final Map<BoundedWindow, OrbitBlock> blocks = new HashMap<>();
  /**
   * The last block used for hits, and for ancillary and malformed rows: consecutive rows mostly
   * share them (ancillary rows lie 10-30 s ahead of the hits around them, in windows of their own).
   */
  private final Slot hitSlot = new Slot();

  private final Slot bookkeepingSlot = new Slot();
  private long recordMillis;
  private long hits;
  private long ancillary;
  private long malformed;

  public BundleSummary(TimeDomain timeDomain, Windowing windowing, DeadLetterReceiver deadLetters) {
    this.timeDomain = timeDomain;
    this.windowing = windowing;
    this.deadLetters = deadLetters;
  }

  /** Adds the rows of one record (one CSV row, or several separated by line breaks). */
  public void add(byte[] record, Instant recordTime) {
    recordMillis = recordTime.getMillis();
    RowParser.scan(record, this);
  }

  @Override
  public void hit(int fpga, int channel, long orbit, int bx, int tdc) {
    hits++;
    long millis = timeOf(orbit, bx);
    block(hitSlot, millis).addHit(fpga, channel, orbit, bx, tdc, millis);
  }

  @Override
  public void ancillary(int head, long orbit, long bx) {
    ancillary++;
    long millis = timeOf(orbit, bx);
    block(bookkeepingSlot, millis).addAncillary(millis);
  }

  @Override
  public void malformed(String line, String reason) {
    malformed++;
    deadLetters.accept(line, reason);
    // A malformed row has no detector time: it can only count in a window spanning everything.
    if (timeDomain == TimeDomain.ingest) {
      block(bookkeepingSlot, recordMillis).addMalformed(recordMillis);
    } else if (windowing.isGlobal()) {
      block(bookkeepingSlot, recordMillis).addMalformed(OrbitBlock.NO_TIME);
    }
  }

  private long timeOf(long orbit, long bx) {
    return timeDomain == TimeDomain.ingest ? recordMillis : DetectorClock.rowMillis(orbit, bx);
  }

  /** The rows added so far (header and blank lines are no rows). */
  public long rows() {
    return hits + ancillary + malformed;
  }

  /** The bundle's rows by kind, into the pipeline's meters (once per bundle, not per row). */
  void countRows() {
    PipelineMeters.HIT_ROWS.inc(hits);
    PipelineMeters.ANCILLARY_ROWS.inc(ancillary);
    PipelineMeters.MALFORMED_ROWS.inc(malformed);
  }

  /** Every block, with its window. */
  public void forEach(BlockReceiver receiver) {
    blocks.forEach(receiver::accept);
  }

  private OrbitBlock block(Slot slot, long millis) {
    if (slot.block == null || millis < slot.windowStart || millis >= slot.windowEnd) {
      BoundedWindow window = windowing.windowOf(new Instant(millis));
      slot.block = blocks.computeIfAbsent(window, w -> new OrbitBlock());
      slot.windowStart =
          window instanceof IntervalWindow interval ? interval.start().getMillis() : Long.MIN_VALUE;
      slot.windowEnd = window.maxTimestamp().getMillis() + 1;
    }
    return slot.block;
  }

  /** A block and the bounds of its window. */
  private static final class Slot {
    OrbitBlock block;
    long windowStart;
    long windowEnd;
  }
}
