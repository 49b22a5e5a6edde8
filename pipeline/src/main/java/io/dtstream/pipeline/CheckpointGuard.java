package io.dtstream.pipeline;

import io.dtstream.contract.cli.CommandKit;
import java.io.IOException;
import java.math.BigDecimal;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * No silent restore of another job's state. A runner that restores a job from its checkpoint
 * folder (the SparkRunner) restores it as it was, with the topics, windows and clocks it was
 * built with, whatever the command line says now: a pipeline started on another topic with the
 * same {@code --consumerGroup} read the earlier topic, wrote nothing, and died a minute later in
 * Spark's block manager. So the options that shape the job are recorded beside the checkpoint at
 * its first start, and a start whose options differ is refused with one line that names the
 * option and the remedy.
 */
final class CheckpointGuard {
  /** The record of the job's shape, in the checkpoint folder. */
  static final String FILE = "dtstream-job.properties";

  private CheckpointGuard() {}

  /** The options that the job's restored state holds, by option name, as this start has them. */
  static Map<String, String> shape(StreamingPipeline.Options options) {
    Map<String, String> shape = new LinkedHashMap<>();
    shape.put("bootstrapServers", options.getBootstrapServers());
    shape.put("inputTopic", options.getInputTopic());
    shape.put("outputTopic", options.getOutputTopic());
    shape.put("deadLetterTopic", options.getDeadLetterTopic());
    shape.put("timeDomain", options.getTimeDomain().name());
    shape.put("windowSeconds", Integer.toString(options.getWindowSeconds()));
    shape.put("allowedLatenessSeconds", Integer.toString(options.getAllowedLatenessSeconds()));
    // As a plain number (2, not 2.0), as it was recorded when the option took whole seconds.
    shape.put("maxDelaySeconds", BigDecimal.valueOf(options.getMaxDelaySeconds()).stripTrailingZeros().toPlainString());
    shape.put("idleSeconds", Integer.toString(options.getIdleSeconds()));
    return shape;
  }

  /**
   * Checks {@code folder} against this start's {@code shape}, after dropping its state if {@code
   * discard}; records the shape in a folder that holds no state yet.
   *
   * @throws CommandKit.UsageError when the folder holds another job's state
   */
  static void check(Path folder, Map<String, String> shape, boolean discard) {
    try {
      if (discard) {
        Folders.deleteRecursively(folder);
      }
      Path record = folder.resolve(FILE);
      if (Files.exists(record)) {
        Properties recorded = new Properties();
        try (Reader in = Files.newBufferedReader(record, StandardCharsets.UTF_8)) {
          recorded.load(in);
        }
        for (Map.Entry<String, String> option : shape.entrySet()) {
          String then = recorded.getProperty(option.getKey());
          if (!option.getValue().equals(then)) {
            throw refused(folder, "--" + option.getKey() + "=" + then + ", not " + option.getValue());
          }
        }
        return;
      }
      if (Files.isDirectory(folder) && !isEmpty(folder)) {
        throw refused(folder, "options this version cannot check (it has no " + FILE + ")");
      }
      Files.createDirectories(folder);
      Properties properties = new Properties();
      properties.putAll(shape);
      try (Writer out = Files.newBufferedWriter(record, StandardCharsets.UTF_8)) {
        properties.store(out, "The options the job in this checkpoint folder was built with (dtstream pipeline)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check the checkpoint folder " + folder, e);
    }
  }

  private static CommandKit.UsageError refused(Path folder, String what) {
    return new CommandKit.UsageError(
        "the checkpoint folder " + folder + " holds the state of a job with " + what
            + ": start with a new --consumerGroup (a new folder), or add --discardCheckpoint to drop that state");
  }

  private static boolean isEmpty(Path folder) throws IOException {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.findAny().isEmpty();
    }
  }
}
