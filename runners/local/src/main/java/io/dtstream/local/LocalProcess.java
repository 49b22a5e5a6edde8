package io.dtstream.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A local server's process as its pid file records it, so that a later command finds it again:
 * the one helper behind every {@code start|stop|status} (the broker, the S3 server, the Spark
 * master and workers).
 */
public record LocalProcess(Path pidFile) {

  /** The process named {@code name} in {@code dir}: its pid in {@code dir/name.pid}. */
  public static LocalProcess in(Path dir, String name) {
    return new LocalProcess(dir.resolve(name + ".pid"));
  }

  /** Starts {@code builder}'s command with its output appended to {@code log}, and records it. */
  public ProcessHandle start(ProcessBuilder builder, Path log) throws IOException {
    Process process =
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    Files.writeString(pidFile, Long.toString(process.pid()));
    return process.toHandle();
  }

  /** The recorded process, if it is still running. */
  public Optional<ProcessHandle> running() {
    try {
      return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).filter(ProcessHandle::isAlive);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty(); // no pid file, or not one of ours
    }
  }

  /** Stops the recorded process, if it runs, and forgets it. */
  public void stop() {
    running().ifPresent(this::stop);
  }

  /**
   * Stops {@code process}, which this file recorded, and forgets it: by its handle, so that a
   * server is stopped even when its folder is already gone (a test's shutdown hook).
   */
  public void stop(ProcessHandle process) {
    terminate(process);
    try {
      Files.deleteIfExists(pidFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM to a process and its children, SIGKILL after 30 s. */
  static void terminate(ProcessHandle process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      process.onExit().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
    }
  }

  /** This JVM's own java executable, for the servers' JVMs. */
  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
