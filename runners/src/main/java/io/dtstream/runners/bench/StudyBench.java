package io.dtstream.runners.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
        String label = "cluster " + size[0] + "x" + size[1];
        onCluster(
            List.of("spark-cluster", "--workers=" + size[0], "--cores=" + size[1], "--memory=2g"),
            s -> {
              s.sparkMaster = "spark://127.0.0.1:7077";
              s.label = label;
            });
        onCluster(
            List.of("flink-cluster", "--taskManagers=" + size[0], "--slots=" + size[1], "--memory=1g"),
            s -> {
              s.runner = "FlinkRunner";
              s.flinkMaster = "127.0.0.1:8081";
              s.label = label;
            });
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

  private BenchSettings with(Consumer<BenchSettings> change) {
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

  /**
   * A throughput run on a local cluster: {@code dtstream <command> start <options>} (the command
   * and its options, {@code cluster}), the run set up by {@code where}, then {@code stop}.
   */
  private void onCluster(List<String> cluster, Consumer<BenchSettings> where) throws Exception {
    String command = cluster.get(0);
    List<String> start = new ArrayList<>(List.of(command, "start"));
    start.addAll(cluster.subList(1, cluster.size()));
    launcher(start.toArray(String[]::new));
    try {
      throughput(with(where), 100);
    } finally {
      launcher(command, "stop");
    }
  }

  private static void launcher(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(System.getenv("DTSTREAM_LAUNCHER"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).inheritIO().start();
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IOException("failed: dtstream " + String.join(" ", args));
    }
  }
}
