package io.dtstream.pipeline;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.contract.cli.WorkDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.sdk.options.DefaultValueFactory;
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
 *   <li>FlinkRunner: an embedded Flink ({@code [local]}, parallelism 2); checkpoints every 5 s to
 *       a folder under the work folder, retained when the job stops, and restored at the next
 *       start ({@link #restore}); short bundles for latency; object reuse between chained
 *       operators and no Beam metrics, for throughput; on a cluster ({@code HOST:PORT}), the
 *       bundled pipeline jar.
 * </ul>
 */
public final class RunnerDefaults {
  static final String DIRECT = "org.apache.beam.runners.direct.DirectRunner";
  static final String SPARK = "org.apache.beam.runners.spark.SparkRunner";
  static final String FLINK = "org.apache.beam.runners.flink.FlinkRunner";
  private static final String FLINK_OPTIONS = "org.apache.beam.runners.flink.FlinkPipelineOptions";

  /** The options interface of each runner, for {@code --help}. */
  private static final Map<String, String> RUNNER_OPTIONS =
      Map.of(
          DIRECT, "org.apache.beam.runners.direct.DirectOptions",
          SPARK, "org.apache.beam.runners.spark.SparkPipelineOptions",
          FLINK, FLINK_OPTIONS,
          "org.apache.beam.runners.flink.TestFlinkRunner", FLINK_OPTIONS,
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
    } else if (isFlink(runner)) {
      flink(all);
    }
    return all.toArray(String[]::new);
  }

  private static void spark(List<String> all) {
    addIfAbsent(all, "sparkMaster", "local[2]");
    boolean cluster = value(all, "sparkMaster").orElseThrow().startsWith("spark://");
    // A window fires in the batch after the one whose watermark passed its end, so the batch
    // interval is most of the delay: 1 s batches keep up at 1,000-20,000 rows/s on local[2] and
    // bring the p99 from 5.95-6.06 s (2 s batches, 2 s slack) to 2.54-2.64 s (bench latency,
    // 2026-12-03). A standalone cluster needs about 2.5 s more a batch: measured, see README,
    // "Runner settings (kept in one place)".
    addIfAbsent(all, "batchIntervalMillis", cluster ? "4000" : "1000");
    // The slack: see MaxDelaySeconds. A standalone cluster keeps 2 s: with 0.5 s, three of four
    // 500,000-row catch-ups on 2 workers x 1 core left their last windows open (297,693 of 423,235
    // hits after 220 s), with 2 s four of four were exact (bench throughput, 2026-12-03; README,
    // "Known limits").
    addIfAbsent(all, "maxDelaySeconds", cluster ? "2" : "0.5");
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

  private static void flink(List<String> all) {
    addIfAbsent(all, "flinkMaster", "[local]");
    // Submit and return, as on the other runners (the command then waits on the result).
    addIfAbsent(all, "attachedMode", "false");
    boolean local = value(all, "flinkMaster").orElseThrow().equals("[local]");
    if (local) {
      // The embedded Flink's default is one slot per core; say it, so that a restored job has
      // the parallelism its checkpoint was taken with (the Kafka readers are split by it).
      addIfAbsent(all, "parallelism", "2");
    }
    // Recovery restores the latest completed checkpoint; offsets are committed, and late rows'
    // windows re-fired, only from what it holds. Every 5 s bounds what a crash makes the job read
    // again to about a window's worth; a checkpoint of this job's state (open windows, orbit
    // blocks) took well under 1 s here, so it leaves most of the interval to the work.
    addIfAbsent(all, "checkpointingInterval", "5000");
    // Beam holds the watermark while a bundle is open (default 1 s in streaming): a window fires
    // up to one bundle after its end. 250 ms keeps that small next to --maxDelaySeconds, while a
    // bundle still carries thousands of rows at DAQ rates.
    addIfAbsent(all, "maxBundleTimeMills", "250");
    // And Beam passes a held watermark on at once only when a bundle closes on its count; one
    // closed on time leaves it to a timer that finds the next bundle already open while records
    // keep coming. With the default 1,000 records a bundle, at 1,000 records/s every bundle closed
    // on time and the watermark moved once in 10-20 s: windows came out 12 s (p50) and 27 s (p99)
    // after their end; with 100, 1.0 and 1.1 s (bench latency, 2026-12-03). A bundle of 100
    // records is still 10,000 rows when they are packed 100 to a record.
    addIfAbsent(all, "maxBundleSize", "100");
    // Chained operators hand an element on as it is, not as a coded and decoded copy (Flink's
    // default): no transform here changes an element it was given or has emitted (OrbitBlock's
    // merge and close leave their argument as it was), as object reuse requires.
    addIfAbsent(all, "objectReuse", "true");
    // Beam's Flink source updates every Beam metric of its step after each record it reads: 23 %
    // of the reading thread's CPU in a profile of bench throughput. And Beam hands a running
    // job's metrics to its result only when the job ends, so the pipeline's meters could not be
    // served meanwhile anyway (README, "Guarantees"). Off: 662,252 -> 863,670 rows/s (object reuse
    // on in both) on 20,000,000 rows at 100 rows per record (bench throughput, 2026-12-03).
    addIfAbsent(all, "disableMetrics", "true");
    // Heap state, checkpointed as files into one folder per consumer group (like Spark's), kept
    // when the job stops or is cancelled: the next start resumes from the newest (restore).
    String group = value(all, "consumerGroup").orElse(StreamingPipeline.DEFAULT_CONSUMER_GROUP);
    // Flink wants a URI there (file:///...): a plain path is taken as a local folder.
    addIfAbsent(all, "stateBackend", "filesystem");
    Optional<String> storage = value(all, "stateBackendStoragePath");
    if (storage.isPresent() && !storage.get().contains(":")) {
      all.remove("--stateBackendStoragePath=" + storage.get());
    }
    addIfAbsent(
        all,
        "stateBackendStoragePath",
        storage.filter(s -> s.contains(":")).orElseGet(() -> storage
            .map(Path::of)
            .orElse(WorkDir.resolve("flink-checkpoints").resolve(group))
            .toAbsolutePath().toUri().toString()));
    addIfAbsent(all, "externalizedCheckpointsEnabled", "true");
    addIfAbsent(all, "retainExternalizedCheckpointsOnCancellation", "true");
    // --commitOffsets stays on (the pipeline's default): KafkaIO commits in its checkpoint's
    // finalize, which Flink calls once the checkpoint has completed, so a committed offset never
    // runs ahead of the state that holds its rows (unlike Spark's commit at the end of each read).
    // A cluster's task managers get the pipeline as one jar; the embedded Flink needs none.
    String jar = System.getenv("DTSTREAM_FLINK_PIPELINE_JAR");
    if (jar != null && !local) {
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

  /**
   * The watermark's slack where {@code --maxDelaySeconds} is not given: 0.5 s on the FlinkRunner
   * and the SparkRunner's {@code local[N]} (set with its other defaults above; 2 s on a standalone
   * cluster), 2 s on the DirectRunner (not measured for it). A window fires once the
   * watermark passes its end (on Spark, one batch later), so the slack is part of every window's
   * delay. What it must cover in ingest time, a row's delay from its timestamp to being readable
   * from the broker, was at most 0.21-0.38 s (p99 0.02-0.07 s) here at 1,000-20,000 rows/s,
   * with the injector's records in timestamp order in each partition ({@code bench latency}:
   * inputDelayMaxMillis, outOfOrderMaxMillis, lateRows=0 on both runners; 2026-12-03). The
   * SparkRunner's watermark is its fastest reader's, but in a live stream every micro-batch reads
   * every partition up to its end; in a catch-up, which no slack of seconds covers, rows behind
   * it are late and counted within the allowed lateness (README, "Guarantees").
   */
  public static final class MaxDelaySeconds implements DefaultValueFactory<Double> {
    @Override
    public Double create(PipelineOptions options) {
      return isFlink(options.getRunner().getName()) ? 0.5 : 2.0;
    }
  }

  /** Whether {@code runner} (a class name) is one of the FlinkRunners. */
  static boolean isFlink(String runner) {
    return runner.startsWith("org.apache.beam.runners.flink.");
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
   * SparkRunner's {@code --checkpointDir}, the FlinkRunner's {@code --stateBackendStoragePath}.
   * Read by name, since the pipeline has no runner on its compile classpath.
   */
  static Optional<Path> checkpointDir(PipelineOptions options) {
    String runner = options.getRunner().getName();
    String getter = isSpark(runner) ? "getCheckpointDir" : isFlink(runner) ? "getStateBackendStoragePath" : null;
    return getter == null ? Optional.empty() : runnerOption(options, getter).flatMap(RunnerDefaults::localFolder);
  }

  /**
   * Points a FlinkRunner job at the newest retained checkpoint in its checkpoint folder, unless
   * {@code --savepointPath} names one: Beam's FlinkRunner submits a new job on every start and
   * restores nothing by itself. The embedded Flink ({@code [local]}) ignores {@code
   * --savepointPath}, so it gets the path in a Flink configuration folder of its own ({@code
   * --flinkConfDir}, written into the checkpoint folder). Call after {@link CheckpointGuard}, so
   * that {@code --discardCheckpoint} (which empties the folder) starts fresh.
   *
   * @return the checkpoint restored, if any
   */
  static Optional<Path> restore(PipelineOptions options) {
    String runner = options.getRunner().getName();
    Optional<Path> folder = checkpointDir(options);
    if (!isFlink(runner) || folder.isEmpty() || runnerOption(options, "getSavepointPath").isPresent()) {
      return Optional.empty();
    }
    Optional<Path> latest = RetainedCheckpoints.latest(folder.get());
    if (latest.isEmpty()) {
      return latest;
    }
    RetainedCheckpoints.pruneOtherJobs(folder.get(), latest.get());
    setRunnerOption(options, "setSavepointPath", latest.get().toString());
    if ("[local]".equals(runnerOption(options, "getFlinkMaster").orElse(null))) {
      if (runnerOption(options, "getFlinkConfDir").isPresent()) {
        throw new CommandKit.UsageError(
            "--flinkConfDir with the embedded Flink cannot restore " + latest.get()
                + ": leave --flinkConfDir out, or add --discardCheckpoint to start afresh");
      }
      Path conf = RetainedCheckpoints.restoreConfig(folder.get(), latest.get());
      setRunnerOption(options, "setFlinkConfDir", conf.toString());
    }
    return latest;
  }

  /** A folder given as a path or a {@code file:} URI; none on other file systems (hdfs://...). */
  private static Optional<Path> localFolder(Object given) {
    String folder = given.toString();
    if (folder.startsWith("file:")) {
      return Optional.of(Path.of(java.net.URI.create(folder)));
    }
    return folder.matches("[a-zA-Z][a-zA-Z0-9+.-]+:.*") ? Optional.empty() : Optional.of(Path.of(folder));
  }

  private static Optional<Object> runnerOption(PipelineOptions options, String getter) {
    String runner = options.getRunner().getName();
    Optional<Class<? extends PipelineOptions>> type = optionsInterface(runner);
    if (type.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(type.get().getMethod(getter).invoke(options.as(type.get())));
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + getter + " of " + runner, e);
    }
  }

  private static void setRunnerOption(PipelineOptions options, String setter, String value) {
    String runner = options.getRunner().getName();
    Class<? extends PipelineOptions> type = optionsInterface(runner).orElseThrow();
    try {
      type.getMethod(setter, String.class).invoke(options.as(type), value);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot call " + setter + " of " + runner, e);
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
