package io.dtstream.runners;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.contract.cli.WorkDir;
import io.dtstream.local.LocalServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * What the {@code start|stop|status} commands of the local servers share: the server's folder
 * ({@code --workDir}, taken by every subcommand), and {@code stop} and {@code status} themselves.
 * Each server's command adds its own {@code start}.
 */
abstract class ServerCommand implements Runnable {
  /** The exit code of {@code status} when the server is not running. */
  static final int NOT_RUNNING = 3;

  /** Old option names, still taken. */
  static final Map<String, String> RENAMED = Map.of("--dataDir", "--workDir");

  @Spec CommandSpec spec;

  @Option(
      names = "--workDir",
      scope = ScopeType.INHERIT,
      description = "The server's state and logs (default: its own folder in $DTSTREAM_WORK: ${DEFAULT-VALUE}).")
  Path workDir;

  /** @param folder the server's folder in the work folder: {@code kafka}, {@code s3} ... */
  ServerCommand(String folder) {
    workDir = WorkDir.resolve(folder);
  }

  /** The server started earlier in {@code workDir}, if it is still running. */
  abstract Optional<? extends LocalServer> running(Path workDir) throws IOException;

  /** Without a subcommand: a usage error. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "say start, stop or status");
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops the server; its state stays.")
  static final class Stop implements Callable<Integer> {
    @ParentCommand ServerCommand server;

    @Override
    public Integer call() throws Exception {
      Optional<? extends LocalServer> running = server.running(server.workDir);
      if (running.isPresent()) {
        running.get().stop();
      }
      System.out.println(running.isPresent() ? "stopped" : "not running");
      return CommandKit.OK;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Says whether the server runs (exit 0) or not (exit " + NOT_RUNNING + ").")
  static final class Status implements Callable<Integer> {
    @ParentCommand ServerCommand server;

    @Override
    public Integer call() throws Exception {
      Optional<? extends LocalServer> running = server.running(server.workDir);
      System.out.println(running.map(s -> "running: " + s.describe()).orElse("not running"));
      return running.isPresent() ? CommandKit.OK : NOT_RUNNING;
    }
  }
}
