package io.dtstream.runners.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dtstream bench study}: the original projects' performance study, adapted to Beam. One
 * factor at a time around a baseline (SparkRunner local[2], 4 partitions, 100 rows per message,
 * 5 s windows): rows per message and runner (Spark, Flink embedded, Direct), Kafka partitions,
 * parallelism (local, a Spark standalone cluster and a Flink session cluster), window size; and
 * window delay against input rate on each runner. Then plots and a Markdown table of everything
 * in the CSV files.
 */
@Command(
    name = "study",
    mixinStandardHelpOptions = true,
    description = "The performance sweep, then plots and a Markdown table (about 45 minutes).")
final class StudyBench implements Callable<Integer> {
  @Mixin BenchSettings baseline = new BenchSettings();

  @Option(names = "--rows", description = "Rows per throughput run, a fifth of it at 1 row per message (default: ${DEFAULT-VALUE}).")
  long rows = 500_000;

  @Option(names = "--durationSeconds", description = "Injection time per latency step (default: ${DEFAULT-VALUE}).")
  int durationSeconds = 45;

  @Option(names = "--plotsOnly", description = "Only draw the plots and the table from the CSV files there are.")
  boolean plotsOnly;

  @Override
  public Integer call() throws Exception {
    if (!plotsOnly) {
      for (String runner : List.of("SparkRunner", "FlinkRunner", "DirectRunner")) {
        for (int rowsPerMessage : List.of(1, 10, 100)) {
          throughput(with(s -> s.runner = runner), rowsPerMessage);
        }
      }
      for (int partitions : List.of(1, 2, 8, 16)) {
        throughput(with(s -> s.partitions = partitions), 100);
      }
      throughput(with(s -> s.sparkMaster = "local[1]"), 100);
      // Labelled alike on both runners ("cluster 1x2": 1 worker x 2 cores, or 1 TaskManager x 2
      // slots), so that the plot puts their bars side by side.
      for (int[] size : new int[][] {{1, 2}, {2, 1}}) {
        onSparkCluster(size[0], size[1]);
        onFlinkCluster(size[0], size[1]);
      }
      for (int windowSeconds : List.of(1, 2)) {
        throughput(with(s -> s.windowSeconds = windowSeconds), 100);
      }
      List<Integer> rates = List.of(1_000, 2_000, 5_000, 10_000, 20_000);
      latency(with(s -> {}), 1, rates);
      latency(with(s -> s.runner = "FlinkRunner"), 1, rates);
      latency(with(s -> s.runner = "DirectRunner"), 10, List.of(1_000, 2_000, 5_000));
    }
    Path report = baseline.output.resolve("study");
    for (Path file : StudyReport.write(baseline.output, report)) {
      System.out.println("wrote " + file);
    }
    return 0;
  }

  private BenchSettings with(java.util.function.Consumer<BenchSettings> change) {
    BenchSettings settings = baseline.copy();
    change.accept(settings);
    return settings;
  }

  private void throughput(BenchSettings settings, int rowsPerMessage) throws Exception {
    ThroughputBench run = new ThroughputBench();
    run.settings = settings;
    run.rowsPerMessage = rowsPerMessage;
    run.rows = rowsPerMessage == 1 ? rows / 5 : rows;
    run.call();
  }

  private void latency(BenchSettings settings, int rowsPerMessage, List<Integer> rates) throws Exception {
    LatencyBench run = new LatencyBench();
    run.settings = settings;
    run.rowsPerMessage = rowsPerMessage;
    run.rates = rates;
    run.durationSeconds = durationSeconds;
    run.call();
  }

  /** A throughput run on a local Spark standalone cluster of {@code workers} x {@code cores}. */
  private void onSparkCluster(int workers, int cores) throws Exception {
    launcher("spark-cluster", "start", "--workers=" + workers, "--cores=" + cores, "--memory=2g");
    try {
      throughput(
          with(s -> {
            s.sparkMaster = "spark://127.0.0.1:7077";
            s.label = "cluster " + workers + "x" + cores;
          }),
          100);
    } finally {
      launcher("spark-cluster", "stop");
    }
  }

  /** A throughput run on a local Flink session cluster of {@code taskManagers} x {@code slots}. */
  private void onFlinkCluster(int taskManagers, int slots) throws Exception {
    launcher("flink-cluster", "start", "--taskManagers=" + taskManagers, "--slots=" + slots, "--memory=1g");
    try {
      throughput(
          with(s -> {
            s.runner = "FlinkRunner";
            s.flinkMaster = "127.0.0.1:8081";
            s.label = "cluster " + taskManagers + "x" + slots;
          }),
          100);
    } finally {
      launcher("flink-cluster", "stop");
    }
  }

  private static void launcher(String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>();
    command.add(System.getenv("DTSTREAM_LAUNCHER"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).inheritIO().start();
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IOException("failed: dtstream " + String.join(" ", args));
    }
  }
}
