package io.dtstream.pipeline.transforms;

import io.dtstream.pipeline.TimeDomain;
import io.dtstream.pipeline.results.ResultMessage;
import io.dtstream.pipeline.stats.DetectorStats;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Turns each window's {@link DetectorStats} into its JSON results message, keyed by the window
 * start (ISO-8601) so a reader can replace a window emitted twice. A fixed window without rows
 * has no message; the global window of a summary always has one, spanning the first to the last
 * row's time.
 */
public class FormatResults
    extends PTransform<PCollection<DetectorStats>, PCollection<KV<String, String>>> {
  private final TimeDomain timeDomain;

  public FormatResults(TimeDomain timeDomain) {
    this.timeDomain = timeDomain;
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollection<DetectorStats> stats) {
    return stats.apply("ToJson", ParDo.of(new ToJsonFn(timeDomain)));
  }

  static class ToJsonFn extends DoFn<DetectorStats, KV<String, String>> {
    private final TimeDomain timeDomain;

    ToJsonFn(TimeDomain timeDomain) {
      this.timeDomain = timeDomain;
    }

    @ProcessElement
    public void processElement(
        @Element DetectorStats stats,
        BoundedWindow window,
        OutputReceiver<KV<String, String>> out) {
      long start;
      long end;
      if (window instanceof IntervalWindow && stats.rows == 0) {
        return; // an expiring window's empty pane would replace its real message
      }
      if (window instanceof IntervalWindow interval) {
        start = interval.start().getMillis();
        end = interval.end().getMillis();
      } else {
        start = stats.hasTime() ? stats.firstMillis : 0L;
        end = stats.hasTime() ? stats.lastMillis : 0L;
      }
      ResultMessage message = ResultMessage.of(stats, start, end, timeDomain.name());
      out.output(KV.of(message.window().start(), message.toJson()));
    }
  }
}
