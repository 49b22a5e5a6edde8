package io.dtstream.pipeline.transforms;

import io.dtstream.pipeline.TimeDomain;
import io.dtstream.contract.model.Ancillary;
import io.dtstream.contract.model.DetectorClock;
import io.dtstream.contract.model.Hit;
import io.dtstream.contract.model.Malformed;
import io.dtstream.contract.model.ParsedRow;
import io.dtstream.contract.model.RowParser;
import io.dtstream.pipeline.stats.OrbitBlock;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * Parses records (one CSV row each, or several separated by line breaks) and adds every row to a
 * bundle-local {@link OrbitBlock} of its window and orbit block; the blocks are emitted when the
 * bundle finishes. This is the pre-aggregation of README, "How it computes": no element per row leaves
 * this step, whatever the runner does about combiner lifting. Malformed rows go to the dead-letter
 * output as well.
 */
class SummarizeRowsFn extends DoFn<String, KV<Long, OrbitBlock>> {
  /** Key of the blocks that hold only row counters (ancillary and malformed rows). */
  static final long BOOKKEEPING_KEY = -1L;

  private final TimeDomain timeDomain;
  private final Windowing windowing;
  private final TupleTag<DeadLetter> deadLetters;
  private transient Map<BoundedWindow, Map<Long, OrbitBlock>> blocks;
  /** The block the last hit went to, and its bounds: consecutive hits mostly share it. */
  private transient OrbitBlock lastHitBlock;

  private transient long lastHitKey;
  private transient long lastHitWindowStart;
  private transient long lastHitWindowEnd;

  SummarizeRowsFn(TimeDomain timeDomain, Windowing windowing, TupleTag<DeadLetter> deadLetters) {
    this.timeDomain = timeDomain;
    this.windowing = windowing;
    this.deadLetters = deadLetters;
  }

  @StartBundle
  public void startBundle() {
    blocks = new HashMap<>();
    lastHitBlock = null;
  }

  @ProcessElement
  public void processElement(
      @Element String record, @Timestamp Instant recordTime, MultiOutputReceiver out) {
    for (String line : RowParser.lines(record)) {
      addRow(line, recordTime, out);
    }
  }

  private void addRow(String line, Instant recordTime, MultiOutputReceiver out) {
    ParsedRow row = RowParser.parse(line);
    if (row instanceof Hit hit) {
      Instant time = timeOf(recordTime, hit.orbit(), hit.bx());
      hitBlock(time, DetectorClock.orbitBlock(hit.orbit())).addHit(hit, time.getMillis());
    } else if (row instanceof Ancillary word) {
      Instant time = timeOf(recordTime, word.orbit(), word.bx());
      block(time, BOOKKEEPING_KEY).addAncillary(time.getMillis());
    } else if (row instanceof Malformed bad) {
      out.get(deadLetters).output(new DeadLetter(bad.line(), bad.reason()));
      // A malformed row has no detector time: it can only count in a window spanning everything.
      if (timeDomain == TimeDomain.ingest) {
        block(recordTime, BOOKKEEPING_KEY).addMalformed(recordTime.getMillis());
      } else if (windowing.isGlobal()) {
        block(recordTime, BOOKKEEPING_KEY).addMalformed(OrbitBlock.NO_TIME);
      }
    }
  }

  private Instant timeOf(Instant recordTime, long orbit, long bx) {
    return timeDomain == TimeDomain.ingest ? recordTime : Instant.ofEpochMilli(DetectorClock.rowMillis(orbit, bx));
  }

  private OrbitBlock hitBlock(Instant time, long key) {
    long millis = time.getMillis();
    if (lastHitBlock == null
        || key != lastHitKey
        || millis < lastHitWindowStart
        || millis >= lastHitWindowEnd) {
      BoundedWindow window = windowing.windowOf(time);
      lastHitBlock = block(window, key);
      lastHitKey = key;
      lastHitWindowStart =
          window instanceof IntervalWindow interval ? interval.start().getMillis() : Long.MIN_VALUE;
      lastHitWindowEnd = window.maxTimestamp().getMillis() + 1;
    }
    return lastHitBlock;
  }

  private OrbitBlock block(Instant time, long key) {
    return block(windowing.windowOf(time), key);
  }

  private OrbitBlock block(BoundedWindow window, long key) {
    return blocks.computeIfAbsent(window, w -> new HashMap<>()).computeIfAbsent(key, k -> new OrbitBlock());
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    blocks.forEach(
        (window, byKey) ->
            byKey.forEach(
                (key, block) ->
                    context.output(KV.of(key, block), window.maxTimestamp(), window)));
    blocks = null;
    lastHitBlock = null;
  }
}
