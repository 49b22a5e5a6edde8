package io.dtstream.pipeline.transforms;

import io.dtstream.pipeline.TimeDomain;
import io.dtstream.pipeline.stats.OrbitBlock;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * Adds every row of a bundle's records to a bundle-local {@link BundleSummary} and emits its
 * blocks when the bundle finishes: no element per row leaves this step, whatever the runner does
 * about combiner lifting. Malformed rows go to the dead-letter output as well.
 */
class SummarizeRowsFn extends DoFn<byte[], KV<Long, OrbitBlock>> {
  private final TimeDomain timeDomain;
  private final Windowing windowing;
  private final TupleTag<DeadLetter> deadLetters;
  private transient BundleSummary summary;
  private transient MultiOutputReceiver out;

  SummarizeRowsFn(TimeDomain timeDomain, Windowing windowing, TupleTag<DeadLetter> deadLetters) {
    this.timeDomain = timeDomain;
    this.windowing = windowing;
    this.deadLetters = deadLetters;
  }

  @StartBundle
  public void startBundle() {
    summary =
        new BundleSummary(
            timeDomain, windowing, (line, reason) -> out.get(deadLetters).output(new DeadLetter(line, reason)));
  }

  @ProcessElement
  public void processElement(@Element byte[] record, @Timestamp Instant recordTime, MultiOutputReceiver out) {
    this.out = out;
    summary.add(record, recordTime);
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    summary.forEach(
        (window, block) -> context.output(KV.of(windowing.keyOf(window), block), window.maxTimestamp(), window));
    summary.countRows();
    summary = null;
    out = null;
  }
}
