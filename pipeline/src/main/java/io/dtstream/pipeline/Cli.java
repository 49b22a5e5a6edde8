package io.dtstream.pipeline;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The common front of the pipeline's commands: Beam-style {@code --name=value} options,
 * {@code --help}, and errors as one line on stderr with a non-zero exit, never a stack trace.
 */
public final class Cli {
  /** A command's body; returns the process exit code. */
  public interface Command<T extends PipelineOptions> {
    int run(T options) throws Exception;
  }

  /** An error the user can fix (bad option, missing input): exit code 2. */
  public static final class UserError extends RuntimeException {
    public UserError(String message) {
      super(message);
    }
  }

  private Cli() {}

  public static <T extends PipelineOptions> void main(
      String name, String purpose, String[] args, Class<T> type, Command<T> command) {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.println("Usage: dtstream " + name + " [--option=value ...]");
      System.out.println(purpose);
      System.out.println();
      PipelineOptionsFactory.printHelp(System.out, type);
      System.exit(0);
    }
    System.exit(run(name, args, type, command));
  }

  static <T extends PipelineOptions> int run(
      String name, String[] args, Class<T> type, Command<T> command) {
    T options;
    try {
      PipelineOptionsFactory.register(type);
      options = PipelineOptionsFactory.fromArgs(withRunDefaults(args)).withValidation().as(type);
    } catch (RuntimeException e) {
      return error(name, oneLine(e) + " (see dtstream " + name + " --help)", 2);
    }
    try {
      return command.run(options);
    } catch (UserError e) {
      return error(name, e.getMessage(), 2);
    } catch (Exception e) {
      return crash(name, e);
    }
  }

  /**
   * Run-time defaults of the runners, in one place; an option given on the command line wins.
   *
   * <ul>
   *   <li>DirectRunner: its per-element immutability and encodability checks are a test-time aid
   *       that costs a factor 2-3 on real runs (tests use TestPipeline, which keeps them).
   *   <li>SparkRunner: {@code local[2]}; micro-batches long enough to keep up at the DAQ rate
   *       (2 s, 30 % reading; 4 s, 20 % on a cluster); checkpoints under the project's work
   *       folder; on a cluster ({@code spark://}), the bundled pipeline jar for the executors.
   * </ul>
   */
  public static String[] withRunDefaults(String[] args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    addIfAbsent(all, "enforceImmutability", "false");
    addIfAbsent(all, "enforceEncodability", "false");
    if (all.contains("--runner=SparkRunner")) {
      addIfAbsent(all, "sparkMaster", "local[2]");
      // Each micro-batch's read tasks wait out their read time even when idle, and a batch then
      // needs ~0.8 s more on local[N] (~2.5 s on a standalone cluster): measured, see README.
      boolean cluster = all.stream().anyMatch(a -> a.startsWith("--sparkMaster=spark://"));
      addIfAbsent(all, "batchIntervalMillis", cluster ? "4000" : "2000");
      // Recovery after a crash restores the source's read positions and the window state from
      // their own checkpoints; Spark's defaults write them at different intervals (20 s and 10 s),
      // so a restart could resume reading past state it no longer had. Both go every batch.
      String batch =
          all.stream()
              .filter(a -> a.startsWith("--batchIntervalMillis="))
              .map(a -> a.substring("--batchIntervalMillis=".length()))
              .findFirst()
              .orElseThrow();
      addIfAbsent(all, "checkpointDurationMillis", batch);
      addIfAbsent(all, "commitOffsets", "false");
      addIfAbsent(all, "readTimePercentage", cluster ? "0.2" : "0.3");
      // A checkpoint restores its job as it was: one folder per consumer group.
      String group =
          all.stream()
              .filter(a -> a.startsWith("--consumerGroup="))
              .map(a -> a.substring("--consumerGroup=".length()))
              .findFirst()
              .orElse("dtstream-pipeline");
      String work = System.getenv().getOrDefault("DTSTREAM_WORK", "work");
      addIfAbsent(
          all,
          "checkpointDir",
          Path.of(work, "spark-checkpoints", group).toAbsolutePath().toString());
      // A cluster's executors get the pipeline as one jar; local[N] runs need none.
      String jar = System.getenv("DTSTREAM_PIPELINE_JAR");
      if (jar != null && all.stream().anyMatch(a -> a.startsWith("--sparkMaster=spark://"))) {
        addIfAbsent(all, "filesToStage", jar);
      }
    }
    return all.toArray(String[]::new);
  }

  private static void addIfAbsent(List<String> args, String option, String value) {
    if (args.stream().noneMatch(a -> a.equals("--" + option) || a.startsWith("--" + option + "="))) {
      args.add("--" + option + "=" + value);
    }
  }

  private static int error(String name, String message, int code) {
    System.err.println("dtstream " + name + ": " + message);
    return code;
  }

  private static int crash(String name, Exception e) {
    if (System.getenv("DTSTREAM_DEBUG") != null) {
      e.printStackTrace();
    }
    return error(name, oneLine(e), 1);
  }

  /** The innermost cause that says something, on one line. */
  static String oneLine(Throwable e) {
    String message = null;
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        message = t.getClass().getSimpleName() + ": " + t.getMessage();
      }
    }
    if (message == null) {
      message = e.getClass().getSimpleName();
    }
    return message.replaceAll("\\s*\\R\\s*", " ");
  }
}
