package io.dtstream.pipeline;

import io.dtstream.contract.cli.WorkDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * What each runner needs to run this pipeline well, in one place, keyed on the runner class that
 * Beam parsed from {@code --runner} (so {@code spark}, {@code SparkRunner} and the class name
 * all get the same). An option given on the command line wins. The pipeline names runners only
 * here, by class name: their artifacts come in on their own classpath (runners/).
 *
 * <ul>
 *   <li>DirectRunner: its per-element immutability and encodability checks are a test-time aid
 *       that costs a factor 2-3 on real runs (tests use TestPipeline, which keeps them); {@code
 *       start} returns while it runs.
 *   <li>SparkRunner: {@code local[2]}; micro-batches long enough to keep up at the DAQ rate
 *       (2 s, 30 % reading; 4 s, 20 % on a cluster); checkpoints every batch under the work
 *       folder; no consumer-group commits; on a cluster ({@code spark://}), the bundled pipeline
 *       jar for the executors.
 * </ul>
 */
public final class RunnerDefaults {
  static final String DIRECT = "org.apache.beam.runners.direct.DirectRunner";
  static final String SPARK = "org.apache.beam.runners.spark.SparkRunner";

  /** The options interface of each runner, for {@code --help}. */
  private static final Map<String, String> RUNNER_OPTIONS =
      Map.of(
          DIRECT, "org.apache.beam.runners.direct.DirectOptions",
          SPARK, "org.apache.beam.runners.spark.SparkPipelineOptions",
          "org.apache.beam.runners.spark.TestSparkRunner", "org.apache.beam.runners.spark.TestSparkPipelineOptions");

  private RunnerDefaults() {}

  /** {@code args} with the defaults of the runner they name added where they say nothing. */
  public static String[] apply(String[] args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    String runner = runnerClass(args);
    if (runner.equals(DIRECT)) {
      addIfAbsent(all, "enforceImmutability", "false");
      addIfAbsent(all, "enforceEncodability", "false");
      addIfAbsent(all, "blockOnRun", "false");
    } else if (isSpark(runner)) {
      spark(all);
    }
    return all.toArray(String[]::new);
  }

  private static void spark(List<String> all) {
    addIfAbsent(all, "sparkMaster", "local[2]");
    boolean cluster = value(all, "sparkMaster").orElseThrow().startsWith("spark://");
    // Each micro-batch's read tasks wait out their read time even when idle, and a batch then
    // needs ~0.8 s more on local[N] (~2.5 s on a standalone cluster): measured, see README,
    // "Runner settings (kept in one place)".
    addIfAbsent(all, "batchIntervalMillis", cluster ? "4000" : "2000");
    // Recovery after a crash restores the source's read positions and the window state from
    // their own checkpoints; Spark's defaults write them at different intervals (20 s and 10 s),
    // so a restart could resume reading past state it no longer had. Both go every batch, and
    // not less often: a restart recomputes the batches since the last checkpoint with reads
    // bounded by time, not offsets, and rows read only then reach the window state but not the
    // dead-letter topic (with every fifth batch, FaultToleranceIT lost a dead letter, 2026-12-02).
    addIfAbsent(all, "checkpointDurationMillis", value(all, "batchIntervalMillis").orElseThrow());
    // Spark commits at the end of each read, before the rows are counted: a correctness setting.
    addIfAbsent(all, "commitOffsets", "false");
    addIfAbsent(all, "readTimePercentage", cluster ? "0.2" : "0.3");
    // A checkpoint restores its job as it was: one folder per consumer group.
    String group = value(all, "consumerGroup").orElse(StreamingPipeline.DEFAULT_CONSUMER_GROUP);
    addIfAbsent(
        all,
        "checkpointDir",
        WorkDir.resolve("spark-checkpoints").resolve(group).toAbsolutePath().toString());
    // A cluster's executors get the pipeline as one jar; local[N] runs need none.
    String jar = System.getenv("DTSTREAM_PIPELINE_JAR");
    if (jar != null && cluster) {
      addIfAbsent(all, "filesToStage", jar);
    }
  }

  /**
   * The runner class {@code args} name, as Beam resolves {@code --runner} (registered names,
   * case-insensitive, with or without "Runner", or a class name); the DirectRunner by default.
   */
  static String runnerClass(String[] args) {
    String[] runner = Arrays.stream(args).filter(a -> a.startsWith("--runner=")).toArray(String[]::new);
    return PipelineOptionsFactory.fromArgs(runner).create().getRunner().getName();
  }

  /** Whether {@code runner} (a class name) is one of the SparkRunners. */
  static boolean isSpark(String runner) {
    return runner.startsWith("org.apache.beam.runners.spark.");
  }

  /** The options interface of the runner {@code args} name, if it has its own. */
  static Optional<Class<? extends PipelineOptions>> runnerOptions(String[] args) {
    return optionsInterface(runnerClass(args));
  }

  private static Optional<Class<? extends PipelineOptions>> optionsInterface(String runner) {
    String name = RUNNER_OPTIONS.get(runner);
    try {
      return name == null ? Optional.empty() : Optional.of(Class.forName(name).asSubclass(PipelineOptions.class));
    } catch (ClassNotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * The folder the runner of {@code options} restores its state from, if it keeps one: the
   * SparkRunner's {@code --checkpointDir}. Read by name, since the pipeline has no runner on its
   * compile classpath.
   */
  static Optional<Path> checkpointDir(PipelineOptions options) {
    String runner = options.getRunner().getName();
    Optional<Class<? extends PipelineOptions>> type = optionsInterface(runner);
    if (!isSpark(runner) || type.isEmpty()) {
      return Optional.empty();
    }
    try {
      Object folder = type.get().getMethod("getCheckpointDir").invoke(options.as(type.get()));
      return Optional.ofNullable(folder).map(f -> Path.of(f.toString()));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the checkpoint folder of " + runner, e);
    }
  }

  private static Optional<String> value(List<String> args, String option) {
    return args.stream()
        .filter(a -> a.startsWith("--" + option + "="))
        .map(a -> a.substring(option.length() + 3))
        .findFirst();
  }

  private static void addIfAbsent(List<String> args, String option, String value) {
    if (args.stream().noneMatch(a -> a.equals("--" + option) || a.startsWith("--" + option + "="))) {
      args.add("--" + option + "=" + value);
    }
  }
}
