package io.dtstream.runners.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dtstream bench throughput}: pre-loads simulated rows into a fresh topic, runs the
 * pipeline over it from the earliest offset in detector time, and times it from its first record
 * read to the message that completes the last window; then a plain consumer reads and counts the
 * same topic, the ceiling; then the same work in one plain thread ({@link WorkLimit}), the work
 * limit. Exact means: the windows' hits sum to the hits that went in.
 */
@Command(
    name = "throughput",
    mixinStandardHelpOptions = true,
    description = "Rows/s of the pipeline over a pre-loaded topic, against a plain consumer's ceiling.")
final class ThroughputBench implements Callable<Integer> {
  static final List<String> CSV_HEADER =
      List.of("runner", "master", "partitions", "rowsPerMessage", "windowSeconds", "rows",
          "rowsPerSecond", "ceilingRowsPerSecond", "ratio", "exact", "heapPeakMb", "workLimitRowsPerSecond",
          "workRatio");

  @Mixin BenchSettings settings = new BenchSettings();

  @Option(names = "--rows", description = "Rows to pre-load (default: ${DEFAULT-VALUE}).")
  long rows = 1_000_000;

  @Option(names = "--rowsPerMessage", description = "Rows per Kafka record (default: ${DEFAULT-VALUE}).")
  int rowsPerMessage = 100;

  @Option(names = "--seed", description = "Seed of the simulated rows (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--timeoutSeconds", description = "Give up after this long (default: 120 s + 1 s per 5,000 rows).")
  long timeoutSeconds = -1;

  /** What one run measured. */
  record Result(
      double rowsPerSecond, double ceilingRowsPerSecond, boolean exact, long heapPeakMb, double workLimitRowsPerSecond) {
    double ratio() {
      return ceilingRowsPerSecond > 0 ? rowsPerSecond / ceilingRowsPerSecond : 0;
    }

    /** The share of the work limit the pipeline reaches. */
    double workRatio() {
      return workLimitRowsPerSecond > 0 ? rowsPerSecond / workLimitRowsPerSecond : 0;
    }
  }

  @Override
  public Integer call() throws Exception {
    Result result = measure();
    CsvLog.append(
        settings.output.resolve("throughput.csv"),
        CSV_HEADER,
        List.of(settings.runner, settings.masterLabel(), settings.partitions, rowsPerMessage, settings.windowSeconds,
            rows, Math.round(result.rowsPerSecond()), Math.round(result.ceilingRowsPerSecond()),
            String.format(Locale.ROOT, "%.3f", result.ratio()), result.exact(), result.heapPeakMb(),
            Math.round(result.workLimitRowsPerSecond()), String.format(Locale.ROOT, "%.3f", result.workRatio())));
    System.out.printf(
        Locale.ROOT,
        "runner=%s rows=%d rowsPerMessage=%d rowsPerSecond=%.0f ceilingRowsPerSecond=%.0f ratio=%.3f exact=%s"
            + " workLimitRowsPerSecond=%.0f workRatio=%.3f%n",
        settings.runner, rows, rowsPerMessage, result.rowsPerSecond(), result.ceilingRowsPerSecond(),
        result.ratio(), result.exact(), result.workLimitRowsPerSecond(), result.workRatio());
    return result.exact() ? 0 : 1;
  }

  Result measure() throws Exception {
    Duration timeout = Duration.ofSeconds(timeoutSeconds > 0 ? timeoutSeconds : 120 + rows / 5_000);
    try (BenchBroker broker = BenchBroker.open(settings)) {
      String topic = broker.newTopic("bench-throughput", settings.partitions);
      broker.deleteAtEnd(topic + ".out");
      broker.deleteAtEnd(topic + ".dlq");
      log("pre-loading %,d rows, %d per message, into %s (%d partitions)", rows, rowsPerMessage, topic, settings.partitions);
      Preload.Expected expected = Preload.rows(broker.bootstrapServers(), topic, settings.partitions, seed, rows, rowsPerMessage);
      long hits = expected.hits();

      log("running the pipeline on %s %s", settings.runner, settings.masterLabel());
      double rowsPerSecond = 0;
      boolean exact;
      long heapPeakMb;
      Path work = settings.output.resolve("runs");
      try (PipelineProcess pipeline = PipelineProcess.start(settings, broker.bootstrapServers(), topic, "detector", work);
          ResultsReader results = new ResultsReader(broker.bootstrapServers(), topic + ".out", expected.endMarkerMillis())) {
        Instant deadline = Instant.now().plus(timeout);
        while (results.totalHits() < hits && pipeline.isAlive() && Instant.now().isBefore(deadline)) {
          results.poll(Duration.ofMillis(500));
        }
        exact = results.totalHits() == hits && results.malformedMessages() == 0;
        if (!pipeline.isAlive()) {
          log("the pipeline stopped early; see %s", pipeline.log());
        } else if (!exact) {
          log("windows hold %,d hits of %,d after %d s; see %s", results.totalHits(), hits, timeout.toSeconds(), pipeline.log());
        }
        if (exact && pipeline.firstReadMillis().isPresent()) {
          double seconds = (results.lastEmittedMillis() - pipeline.firstReadMillis().getAsLong()) / 1000.0;
          rowsPerSecond = rows / seconds;
        }
        heapPeakMb = pipeline.heapPeakMb();
        pipeline.close(); // the flight recording is written as the JVM exits
        if (pipeline.recording().isPresent()) {
          Path report = ProfileReport.write(pipeline.recording().get(), settings.output.resolve("profile-" + topic + ".txt"));
          log("profile: %s", report);
        }
      }
      log("pipeline: %.0f rows/s, exact=%s, heap peak %d MiB; now the plain consumer", rowsPerSecond, exact, heapPeakMb);
      double ceiling = ceilingRowsPerSecond(broker.bootstrapServers(), topic, rows + settings.partitions);
      log("ceiling: %.0f rows/s; now the work limit (the same work in one plain thread)", ceiling);
      double workLimit =
          WorkLimit.rowsPerSecond(
              broker.bootstrapServers(), topic, rows + settings.partitions, Duration.ofSeconds(settings.windowSeconds));
      return new Result(rowsPerSecond, ceiling, exact, heapPeakMb, workLimit);
    }
  }

  /** A plain consumer reading and counting the topic's rows: what Kafka itself gives. */
  static double ceilingRowsPerSecond(String bootstrapServers, String topic, long rows) {
    return TimedRead.rowsPerSecond(bootstrapServers, topic, rows, LineCount::new);
  }

  /** The rows of each record counted, nothing else. */
  private static final class LineCount implements TimedRead.Work {
    private long rows;

    @Override
    public void add(byte[] record) {
      rows++;
      for (byte b : record) {
        if (b == '\n') {
          rows++;
        }
      }
    }

    @Override
    public long rows() {
      return rows;
    }
  }

  static void log(String format, Object... args) {
    System.err.println("dtstream bench: " + String.format(Locale.ROOT, format, args));
  }
}
