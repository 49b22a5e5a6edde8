package io.dtstream.runners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A local server's process as its pid file records it, so that a later command can find it
 * again (the broker, the S3 server).
 */
public record PidFile(Path file) {

  public void write(long pid) throws IOException {
    Files.writeString(file, Long.toString(pid));
  }

  /** The recorded process, if it is still running. */
  public Optional<ProcessHandle> running() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    return ProcessHandle.of(Long.parseLong(Files.readString(file).trim())).filter(ProcessHandle::isAlive);
  }

  /** Stops {@code process} (SIGTERM, then SIGKILL after 30 s) and forgets it. */
  public void stop(ProcessHandle process) {
    if (process.isAlive()) {
      process.destroy();
      try {
        process.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        process.destroyForcibly();
      }
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
