package io.dtstream.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The checkpoints a FlinkRunner job leaves in its checkpoint folder: Flink writes them as {@code
 * <folder>/<job id>/chk-<N>/_metadata} (the file is written last, so a folder without it is a
 * checkpoint that never completed), keeps the newest one of each job when the job stops, and
 * carries the counter N on into a job restored from one. Each start is a new job, with a new id.
 */
final class RetainedCheckpoints {
  private static final Pattern JOB = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern CHECKPOINT = Pattern.compile("chk-(\\d+)");
  /** The Flink configuration folder that tells the embedded Flink what to restore. */
  static final String RESTORE_CONFIG = "flink-restore-conf";

  private RetainedCheckpoints() {}

  /** The completed checkpoint of highest number in {@code folder}, if there is one. */
  static Optional<Path> latest(Path folder) {
    return checkpoints(folder).max(Comparator.comparingLong(RetainedCheckpoints::number));
  }

  /** Drops the folders of earlier jobs but the one holding {@code kept}: their state is older. */
  static void pruneOtherJobs(Path folder, Path kept) {
    Path keptJob = kept.getParent();
    for (Path job : jobs(folder)) {
      if (!job.equals(keptJob)) {
        try {
          Folders.deleteRecursively(job);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot drop the old checkpoints in " + job, e);
        }
      }
    }
  }

  /** Writes a Flink configuration folder in {@code folder} whose one setting restores {@code checkpoint}. */
  static Path restoreConfig(Path folder, Path checkpoint) {
    Path conf = folder.resolve(RESTORE_CONFIG);
    String path = checkpoint.toAbsolutePath().toString().replace("'", "''");
    try {
      Files.createDirectories(conf);
      Files.writeString(
          conf.resolve("config.yaml"),
          "# written by dtstream pipeline at each start: the embedded Flink restores this checkpoint\n"
              + "execution.savepoint.path: '" + path + "'\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + conf, e);
    }
    return conf;
  }

  private static Stream<Path> checkpoints(Path folder) {
    return jobs(folder).stream()
        .flatMap(RetainedCheckpoints::list)
        .filter(p -> CHECKPOINT.matcher(p.getFileName().toString()).matches())
        .filter(p -> Files.isRegularFile(p.resolve("_metadata")));
  }

  private static List<Path> jobs(Path folder) {
    return list(folder)
        .filter(p -> JOB.matcher(p.getFileName().toString()).matches() && Files.isDirectory(p))
        .toList();
  }

  private static long number(Path checkpoint) {
    Matcher m = CHECKPOINT.matcher(checkpoint.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  private static Stream<Path> list(Path folder) {
    if (!Files.isDirectory(folder)) {
      return Stream.empty();
    }
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }
}
