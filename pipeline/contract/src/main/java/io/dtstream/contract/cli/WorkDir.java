package io.dtstream.contract.cli;

import java.nio.file.Path;

/**
 * The project's work folder, where brokers, clusters, checkpoints, logs and benchmark results
 * keep their state: {@code $DTSTREAM_WORK}, which the launcher sets to {@code work/} under the
 * project, else {@code work} here. Read here only.
 */
public final class WorkDir {
  private static final Path ROOT = Path.of(System.getenv().getOrDefault("DTSTREAM_WORK", "work"));

  private WorkDir() {}

  public static Path root() {
    return ROOT;
  }

  /** A part of it: {@code kafka}, {@code s3}, {@code spark}, {@code spark-checkpoints} ... */
  public static Path resolve(String part) {
    return ROOT.resolve(part);
  }
}
