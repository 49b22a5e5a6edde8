package io.dtstream.runners.bench;

import io.dtstream.contract.cli.WorkDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What every benchmark run is configured by, and recorded with. */
public final class BenchSettings {
  @Option(names = "--runner", description = "SparkRunner, FlinkRunner (the embedded Flink, parallelism 2) or DirectRunner (default: ${DEFAULT-VALUE}).")
  String runner = "SparkRunner";

  @Option(names = "--sparkMaster", description = "local[N] or spark://HOST:PORT (default: ${DEFAULT-VALUE}).")
  String sparkMaster = "local[2]";

  @Option(names = "--flinkMaster", description = "[local] (the embedded Flink) or HOST:PORT, a Flink cluster's REST port (default: ${DEFAULT-VALUE}).")
  String flinkMaster = "[local]";

  @Option(names = "--partitions", description = "Partitions of the input topic (default: ${DEFAULT-VALUE}).")
  int partitions = 4;

  @Option(names = "--windowSeconds", description = "Window size (default: ${DEFAULT-VALUE}).")
  int windowSeconds = 5;

  @Option(names = "--pipelineHeap", description = "The pipeline JVM's -Xmx (default: ${DEFAULT-VALUE}).")
  String pipelineHeap = "1g";

  @Option(names = "--bootstrapServers",
      description = "A broker to use (default: a fresh local broker started for the run).")
  String bootstrapServers = "";

  @Option(names = "--output", description = "Folder of the CSV files (default: the project's work/bench-results).")
  Path output = WorkDir.resolve("bench-results");

  @Option(names = "--pipelineOption", paramLabel = "--NAME=VALUE",
      description = "A further option for the pipeline, e.g. --pipelineOption=--readTimePercentage=0.6 (repeatable).")
  List<String> pipelineOptions = new ArrayList<>();

  @Option(names = "--profile",
      description = "Record the pipeline JVM with Java Flight Recorder and write its hottest methods to the output folder.")
  boolean profile;

  /** How the results name this setup, when the master URL alone does not tell (a cluster's size). */
  String label = "";

  BenchSettings copy() {
    BenchSettings copy = new BenchSettings();
    copy.runner = runner;
    copy.sparkMaster = sparkMaster;
    copy.flinkMaster = flinkMaster;
    copy.partitions = partitions;
    copy.windowSeconds = windowSeconds;
    copy.pipelineHeap = pipelineHeap;
    copy.bootstrapServers = bootstrapServers;
    copy.output = output;
    copy.label = label;
    copy.pipelineOptions = new ArrayList<>(pipelineOptions);
    copy.profile = profile;
    return copy;
  }

  /** Whether the pipeline runs on a cluster rather than in its own JVM. */
  boolean onCluster() {
    return switch (runner) {
      case "SparkRunner" -> !sparkMaster.startsWith("local");
      case "FlinkRunner" -> !flinkMaster.equals("[local]");
      default -> false;
    };
  }

  /** Where the runs say they ran: the runner's master ("embedded" for Flink's own), "-" on the DirectRunner. */
  String masterLabel() {
    if (!label.isEmpty()) {
      return label;
    }
    return switch (runner) {
      case "SparkRunner" -> sparkMaster;
      case "FlinkRunner" -> onCluster() ? flinkMaster : "embedded";
      default -> "-";
    };
  }

  static String machine() {
    return Runtime.getRuntime().availableProcessors() + " cores";
  }
}
