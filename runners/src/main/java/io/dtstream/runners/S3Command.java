package io.dtstream.runners;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.injector.Simulate;
import io.dtstream.local.LocalS3;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;

/**
 * {@code dtstream s3 start|stop|status}: the local S3 API server, with a bucket that holds a
 * simulated run split in files named as the test stand's ({@code data_000001.txt}, ...).
 */
@Command(
    name = "dtstream s3",
    mixinStandardHelpOptions = true,
    subcommands = {S3Command.Start.class, ServerCommand.Stop.class, ServerCommand.Status.class},
    description =
        "Starts, stops or reports the local S3 API server (http://127.0.0.1:9090). On start, an"
            + " empty bucket gets a simulated run. The server accepts any credentials.")
public final class S3Command extends ServerCommand {
  S3Command() {
    super("s3");
  }

  public static void main(String[] args) {
    System.exit(CommandKit.execute("dtstream s3", new S3Command(), args, RENAMED));
  }

  @Override
  Optional<LocalS3> running(Path workDir) throws IOException {
    return LocalS3.running(workDir);
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Starts the server, unless it runs, and fills an empty bucket with a simulated run.")
  static final class Start implements Callable<Integer> {
    @ParentCommand S3Command server;

    @Option(names = "--port", description = "HTTP port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int port = 9090;

    @Option(names = "--bucket", description = "Bucket to create and fill (default: ${DEFAULT-VALUE}).")
    String bucket = "mapd-minidt-stream";

    @Option(names = "--files", description = "Simulated files put in an empty bucket (default: ${DEFAULT-VALUE}).")
    int files = 4;

    @Option(names = "--rowsPerFile", description = "Rows per simulated file (default: ${DEFAULT-VALUE}).")
    long rowsPerFile = 250_000;

    @Option(names = "--seed", description = "Seed of the simulation (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Override
    public Integer call() throws Exception {
      Optional<LocalS3> running = LocalS3.running(server.workDir);
      LocalS3 s3 = running.isPresent() ? running.get() : LocalS3.start(server.workDir, port, List.of(bucket));
      int objects = Simulate.fillIfEmpty(s3.endpoint(), bucket, files, rowsPerFile, seed);
      System.out.println(
          (running.isPresent() ? "already running" : "started")
              + ": endpoint=" + s3.endpoint() + " bucket=" + bucket + " objects=" + objects
              + " pid=" + s3.pid() + " workDir=" + server.workDir);
      return CommandKit.OK;
    }
  }
}
