package io.dtstream.runners;

import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What the {@code start|stop|status} commands of the local servers share. */
abstract class ServerCommand implements Runnable {
  /** The exit code of {@code status} when the server is not running. */
  static final int NOT_RUNNING = 3;

  /** Old option names, still taken. */
  static final Map<String, String> RENAMED = Map.of("--dataDir", "--workDir");

  @Spec CommandSpec spec;

  /** Without a subcommand: a usage error. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "say start, stop or status");
  }
}
