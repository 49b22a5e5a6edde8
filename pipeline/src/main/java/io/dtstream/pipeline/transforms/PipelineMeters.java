package io.dtstream.pipeline.transforms;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The pipeline's Beam metrics, counted in the transforms, and how {@code --metricsPort} serves
 * them: the runner adds them up (on Spark, in the driver after each batch) and a scrape reads
 * them from the {@link PipelineResult}, so every runner serves the same meters. They are counted
 * once per bundle or per emitted window, never per row: the hot path stays as it is.
 */
public final class PipelineMeters {
  private static final String NAMESPACE = "dtstream";

  static final Counter HIT_ROWS = Metrics.counter(NAMESPACE, "rows.hit");
  static final Counter ANCILLARY_ROWS = Metrics.counter(NAMESPACE, "rows.ancillary");
  static final Counter MALFORMED_ROWS = Metrics.counter(NAMESPACE, "rows.malformed");
  static final Counter LATE_ROWS = Metrics.counter(NAMESPACE, "rows.late");
  static final Counter WINDOWS = Metrics.counter(NAMESPACE, "windows.emitted");

  /** Queried at most once a second, however many meters a scrape reads. */
  private static final long QUERY_EVERY_MILLIS = 1_000;

  private PipelineMeters() {}

  /**
   * The meters of {@code result}, as {@code dtstream_pipeline_*} (README, "Metrics"). Micrometer
   * holds a function counter's object weakly: it is the result, which the caller holds while the
   * pipeline runs; the functions hold the snapshot.
   */
  public static void register(PipelineResult result, MeterRegistry registry) {
    Snapshot snapshot = new Snapshot(result);
    for (String kind : new String[] {"hit", "ancillary", "malformed"}) {
      FunctionCounter.builder("dtstream.pipeline.rows", result, r -> snapshot.get("rows." + kind))
          .description("Rows read, by kind")
          .tag("kind", kind)
          .register(registry);
    }
    FunctionCounter.builder("dtstream.pipeline.late.rows", result, r -> snapshot.get("rows.late"))
        .description("Rows that arrived after their window had fired (counted in a late pane)")
        .register(registry);
    FunctionCounter.builder("dtstream.pipeline.windows.emitted", result, r -> snapshot.get("windows.emitted"))
        .description("Results messages written (a window's late pane counts again)")
        .register(registry);
  }

  /** The counters' values as the runner last reported them. */
  private static final class Snapshot {
    private final PipelineResult result;
    private Map<String, Long> values = Map.of();
    private long queriedAt;

    Snapshot(PipelineResult result) {
      this.result = result;
    }

    synchronized double get(String name) {
      long now = System.currentTimeMillis();
      if (now - queriedAt >= QUERY_EVERY_MILLIS) {
        values = query();
        queriedAt = now;
      }
      return values.getOrDefault(name, 0L);
    }

    private Map<String, Long> query() {
      Map<String, Long> sums = new HashMap<>();
      Iterable<MetricResult<Long>> counters = result.metrics()
          .queryMetrics(MetricsFilter.builder().addNameFilter(MetricNameFilter.inNamespace(NAMESPACE)).build())
          .getCounters();
      for (MetricResult<Long> counter : counters) {
        // attempted: what the runner has seen; committed is not kept by every runner in streaming
        sums.merge(counter.getName().getName(), counter.getAttempted(), Long::sum);
      }
      return sums;
    }
  }
}
