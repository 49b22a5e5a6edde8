package io.dtstream.runners.bench;

import io.dtstream.injector.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dtstream bench latency}: injects simulated rows at steady rates, as the DAQ does, and
 * measures per window the delay from its end to its message on the results topic (ingest time).
 * With several rates it steps up and reports the highest the pipeline keeps up with.
 */
@Command(
    name = "latency",
    mixinStandardHelpOptions = true,
    description = "Window delay (p50, p99, max) at steady input rates; the highest rate kept up with.")
final class LatencyBench implements Callable<Integer> {
  static final List<String> CSV_HEADER =
      List.of("runner", "master", "partitions", "rowsPerMessage", "windowSeconds", "rate", "windows",
          "p50Seconds", "p99Seconds", "maxSeconds", "keepsUp", "heapPeakMb",
          "lateRows", "inputDelayP99Millis", "inputDelayMaxMillis", "outOfOrderMaxMillis");

  @Mixin BenchSettings settings = new BenchSettings();

  @Option(names = "--rate", split = ",",
      description = "Rows/s; several (1000,2000,5000) step up until the pipeline falls behind (default: ${DEFAULT-VALUE}).")
  List<Integer> rates = List.of(1_000);

  @Option(names = "--rowsPerMessage", description = "Rows per Kafka record (default: ${DEFAULT-VALUE}).")
  int rowsPerMessage = 1;

  @Option(names = "--durationSeconds", description = "Injection time per rate (default: ${DEFAULT-VALUE}).")
  int durationSeconds = 60;

  @Option(names = "--warmupSeconds",
      description = "Windows ending this soon after the first record read are not measured (default: ${DEFAULT-VALUE}).")
  int warmupSeconds = 20;

  /** What one rate gave. */
  record Result(
      int rate, int windows, double p50, double p99, double max, boolean keepsUp, long heapPeakMb, long lateRows,
      long inputDelayP99Millis, long inputDelayMaxMillis, long outOfOrderMaxMillis) {}

  @Override
  public Integer call() throws Exception {
    int highest = 0;
    for (int rate : rates) {
      Result result = measure(rate);
      CsvLog.append(
          settings.output.resolve("latency.csv"),
          CSV_HEADER,
          List.of(settings.runner, settings.masterLabel(), settings.partitions, rowsPerMessage, settings.windowSeconds,
              rate, result.windows(), seconds(result.p50()), seconds(result.p99()), seconds(result.max()),
              result.keepsUp(), result.heapPeakMb(), result.lateRows(), result.inputDelayP99Millis(),
              result.inputDelayMaxMillis(), result.outOfOrderMaxMillis()));
      System.out.printf(
          Locale.ROOT,
          "runner=%s rate=%d windows=%d p50Seconds=%.2f p99Seconds=%.2f maxSeconds=%.2f keepsUp=%s heapPeakMb=%d"
              + " lateRows=%d inputDelayP99Millis=%d inputDelayMaxMillis=%d outOfOrderMaxMillis=%d%n",
          settings.runner, rate, result.windows(), result.p50(), result.p99(), result.max(), result.keepsUp(),
          result.heapPeakMb(), result.lateRows(), result.inputDelayP99Millis(), result.inputDelayMaxMillis(),
          result.outOfOrderMaxMillis());
      if (!result.keepsUp()) {
        break;
      }
      highest = rate;
    }
    System.out.println("runner=" + settings.runner + " highestSustainedRate=" + highest);
    return highest > 0 ? 0 : 1;
  }

  Result measure(int rate) throws Exception {
    long rows = (long) rate * durationSeconds;
    long seed = rate;
    try (BenchBroker broker = BenchBroker.open(settings)) {
      String topic = broker.newTopic("bench-latency", settings.partitions);
      broker.deleteAtEnd(topic + ".out");
      broker.deleteAtEnd(topic + ".dlq");
      Path work = settings.output.resolve("runs");
      try (PipelineProcess pipeline = PipelineProcess.start(settings, broker.bootstrapServers(), topic, "ingest", work);
          ResultsReader results = new ResultsReader(broker.bootstrapServers(), topic + ".out");
          ArrivalDelays arrivals = ArrivalDelays.start(broker.bootstrapServers(), topic)) {
        ThroughputBench.log("injecting %,d rows/s for %d s into %s; pipeline on %s %s",
            rate, durationSeconds, topic, settings.runner, settings.masterLabel());
        ExecutorService injector = Executors.newSingleThreadExecutor();
        AtomicLong lastSentMillis = new AtomicLong(Long.MAX_VALUE);
        Future<Inject.Report> injecting =
            injector.submit(
                () -> {
                  Inject.Report report = inject(broker.bootstrapServers(), topic, rate, rows, seed);
                  lastSentMillis.set(System.currentTimeMillis());
                  return report;
                });
        long hits = Preload.Expected.of(seed, rows).hits();
        while (!injecting.isDone()) {
          results.poll(Duration.ofMillis(200));
        }
        injector.shutdown();
        Inject.Report sent = injecting.get();
        Instant deadline = Instant.now().plusSeconds(30 + 3L * settings.windowSeconds);
        while (results.totalHits() < hits && Instant.now().isBefore(deadline) && pipeline.isAlive()) {
          results.poll(Duration.ofMillis(200));
        }
        boolean exact = sent.rowsSent() == rows && results.totalHits() == hits;
        long measuredFrom = pipeline.firstReadMillis().orElse(Long.MAX_VALUE) + warmupSeconds * 1000L;
        // The steady state only: after the warm-up, and not the window the input stops in, which
        // fires once the reader sees it has caught up with the partitions' end (KafkaIO looks
        // once a second), not with the flow of rows.
        Predicate<ResultsReader.Window> steady =
            window -> window.endMillis() >= measuredFrom && window.endMillis() <= lastSentMillis.get();
        double[] delays =
            results.windows().stream()
                .filter(steady)
                .mapToDouble(ResultsReader.Window::delaySeconds)
                .sorted()
                .toArray();
        if (!exact) {
          ThroughputBench.log("windows hold %,d hits of %,d; see %s", results.totalHits(), hits, pipeline.log());
        }
        // Which windows were slow, and when: the percentiles alone do not say.
        ThroughputBench.log("delays in window order (s; * = warm-up or the input's end, not counted): %s",
            results.windows().stream()
                .sorted(Comparator.comparingLong(ResultsReader.Window::startMillis))
                .map(w -> String.format(Locale.ROOT, "%.2f%s", w.delaySeconds(), steady.test(w) ? "" : "*"))
                .collect(Collectors.joining(" ")));
        return new Result(rate, delays.length, percentile(delays, 0.5), percentile(delays, 0.99),
            percentile(delays, 1.0), exact && keptUp(results.windows()), pipeline.heapPeakMb(), results.lateRows(),
            arrivals.delayMillis(0.99), arrivals.delayMillis(1.0), arrivals.maxOutOfOrderMillis());
      }
    }
  }

  private Inject.Report inject(String bootstrapServers, String topic, int rate, long rows, long seed) {
    return Inject.into(bootstrapServers, topic, rowsPerMessage, rows).replay("sim:seed=" + seed, rate);
  }

  /**
   * Kept up: the delays did not grow during the run. The last quarter of the windows may not be
   * later than the first half's median by more than a window.
   */
  private boolean keptUp(java.util.Collection<ResultsReader.Window> windows) {
    List<ResultsReader.Window> inOrder = new ArrayList<>(windows);
    inOrder.sort(java.util.Comparator.comparingLong(ResultsReader.Window::startMillis));
    if (inOrder.size() < 4) {
      return false;
    }
    double[] firstHalf = inOrder.subList(0, inOrder.size() / 2).stream().mapToDouble(ResultsReader.Window::delaySeconds).sorted().toArray();
    double[] lastQuarter = inOrder.subList(inOrder.size() * 3 / 4, inOrder.size()).stream().mapToDouble(ResultsReader.Window::delaySeconds).sorted().toArray();
    return percentile(lastQuarter, 0.5) <= percentile(firstHalf, 0.5) + settings.windowSeconds;
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static String seconds(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
