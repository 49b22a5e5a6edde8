package io.dtstream.dashboard;

import io.dtstream.contract.metrics.JvmMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.eclipse.jetty.server.Server;

/**
 * {@code GET /metrics}: the dashboard's meters in Prometheus's text format (README, "Metrics"),
 * with the JVM's and Jetty's. The dashboard's own are named {@code dtstream_dashboard_*}.
 */
final class DashboardMetrics {
  /** The alarm kinds of the journal, each with its gauge of firing alarms (zero until one fires). */
  static final List<String> ALARM_KINDS = List.of("dead", "noisy", "t0", "tMax", "efficiency", "reference");

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter windows;
  private final DistributionSummary pipelineDelay;
  private final JvmMeters jvm = new JvmMeters(registry);

  DashboardMetrics() {
    windows = Counter.builder("dtstream.dashboard.windows.received")
        .description("Windows read from the results topic and taken into the history")
        .register(registry);
    // A histogram (buckets in the scrape), so that a Prometheus server can give quantiles over any span.
    pipelineDelay = DistributionSummary.builder("dtstream.dashboard.pipeline.delay")
        .description("Each window's publication time minus its end")
        .baseUnit("seconds")
        .publishPercentileHistogram()
        .minimumExpectedValue(0.1)
        .maximumExpectedValue(600.0)
        .register(registry);
  }

  /** A window taken into the history. */
  void windowReceived(LiveWindow window) {
    windows.increment();
    pipelineDelay.record(Math.max(0, window.pipelineDelaySeconds()));
  }

  /** The meters that read the dashboard's state when scraped. */
  void watch(ResultsIngest ingest, ResultsConsumer consumer, AlarmJournal journal) {
    FunctionCounter.builder("dtstream.dashboard.malformed.messages", ingest, ResultsIngest::malformedMessages)
        .description("Messages of the results topic that are not results messages, skipped")
        .register(registry);
    Gauge.builder("dtstream.dashboard.consumer.lag", consumer, c -> {
          Long lag = c.status().lag();
          return lag == null ? Double.NaN : lag;
        })
        .description("Messages of the results topic not read yet")
        .baseUnit("records")
        .register(registry);
    for (String kind : ALARM_KINDS) {
      Gauge.builder("dtstream.dashboard.alarms.firing", journal, j -> j.firing(kind))
          .description("Alarms of the journal firing now, by kind")
          .tag("kind", kind)
          .register(registry);
    }
  }

  /** Jetty's thread pool and connections. */
  void watch(Server server) {
    new JettyServerThreadPoolMetrics(server.getThreadPool(), List.of()).bindTo(registry);
    JettyConnectionMetrics.addToAllConnectors(server, registry);
  }

  String scrape() {
    return registry.scrape();
  }

  void close() {
    jvm.close();
    registry.close();
  }
}
