package io.dtstream.pipeline.transforms;

import io.dtstream.pipeline.TimeDomain;
import io.dtstream.pipeline.stats.DetectorStats;
import io.dtstream.pipeline.stats.DetectorStatsCoder;
import io.dtstream.pipeline.stats.MergeOrbitBlocksFn;
import io.dtstream.pipeline.stats.OrbitBlock;
import io.dtstream.pipeline.stats.OrbitBlockCoder;
import io.dtstream.pipeline.stats.SumStatsFn;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Records of CSV rows (their bytes) in, all per-window quantities out: per bundle, rows are
 * summarized into one orbit block per window; the blocks of a window are merged when it fires, so
 * every orbit is complete, and closed into fixed-size {@link DetectorStats}; a window's panes (its
 * on-time firing, then one per late row) are summed. Malformed rows come out as dead letters.
 */
public class ComputeDetectorStats extends PTransform<PCollection<byte[]>, PCollectionTuple> {
  public static final TupleTag<DetectorStats> STATS = new TupleTag<>() {};
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>() {};
  private static final TupleTag<KV<Long, OrbitBlock>> BLOCKS = new TupleTag<>() {};

  private final TimeDomain timeDomain;
  private final Windowing windowing;

  public ComputeDetectorStats(TimeDomain timeDomain, Windowing windowing) {
    this.timeDomain = timeDomain;
    this.windowing = windowing;
  }

  /** Text records (lines of files) as the bytes this transform reads, in UTF-8 as Kafka has them. */
  public static MapElements<String, byte[]> utf8Bytes() {
    return MapElements.into(TypeDescriptor.of(byte[].class))
        .via(text -> text.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public PCollectionTuple expand(PCollection<byte[]> records) {
    PCollectionTuple summaries =
        records
            .apply("AssignWindows", windowing.<byte[]>assign())
            .apply(
                "SummarizeRowsPerBundle",
                ParDo.of(new SummarizeRowsFn(timeDomain, windowing, DEAD_LETTERS))
                    .withOutputTags(BLOCKS, TupleTagList.of(DEAD_LETTERS)));
    summaries.get(BLOCKS).setCoder(KvCoder.of(VarLongCoder.of(), OrbitBlockCoder.of()));
    summaries.get(DEAD_LETTERS).setCoder(new DeadLetter.Coder());

    PCollection<DetectorStats> stats =
        summaries
            .get(BLOCKS)
            .apply("MergeOrbitBlocks", Combine.perKey(new MergeOrbitBlocksFn()))
            .apply("CloseOrbits", ParDo.of(new CloseOrbitsFn()))
            .setCoder(DetectorStatsCoder.of())
            .apply("AccumulatePanes", windowing.<DetectorStats>accumulatePanes())
            .apply("SumPerWindow", windowing.combinePerWindow(new SumStatsFn()));
    return PCollectionTuple.of(STATS, stats).and(DEAD_LETTERS, summaries.get(DEAD_LETTERS));
  }

  /**
   * Closes a window's merged block (one per window and firing) into its stats. A late pane holds
   * only rows that came after the window fired. An empty pane (the SparkRunner fires one when a
   * window expires) carries nothing and goes no further.
   */
  static class CloseOrbitsFn extends DoFn<KV<Long, OrbitBlock>, DetectorStats> {
    @ProcessElement
    public void processElement(@Element KV<Long, OrbitBlock> block, PaneInfo pane, OutputReceiver<DetectorStats> out) {
      if (block.getValue().isEmpty()) {
        return;
      }
      DetectorStats stats = block.getValue().close();
      if (pane.getTiming() == PaneInfo.Timing.LATE) {
        stats.late = stats.rows;
        PipelineMeters.LATE_ROWS.inc(stats.rows);
      }
      out.output(stats);
    }
  }
}
