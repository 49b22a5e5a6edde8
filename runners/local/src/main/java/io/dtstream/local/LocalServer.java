package io.dtstream.local;

import java.io.IOException;

/** A local server started earlier and found again through its folder, as the commands see it. */
public interface LocalServer extends AutoCloseable {
  /** Where clients reach it and its process, as {@code name=value} pairs for scripts. */
  String describe();

  /** Stops it; its state stays in its folder for the next start. */
  void stop() throws IOException;

  @Override
  default void close() throws IOException {
    stop();
  }
}
