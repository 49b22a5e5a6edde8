package io.dtstream.runners;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.contract.cli.WorkDir;
import io.dtstream.injector.Simulate;
import io.dtstream.local.LocalS3;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dtstream s3 start|stop|status}: the local S3 API server, with a bucket that holds a
 * simulated run split in files named as the test stand's ({@code data_000001.txt}, ...).
 */
@Command(
    name = "dtstream s3",
    mixinStandardHelpOptions = true,
    subcommands = {S3Command.Start.class, S3Command.Stop.class, S3Command.Status.class},
    description =
        "Starts, stops or reports the local S3 API server (http://127.0.0.1:9090). On start, an"
            + " empty bucket gets a simulated run. The server accepts any credentials.")
public final class S3Command extends ServerCommand {
  public static void main(String[] args) {
    System.exit(CommandKit.execute("dtstream s3", new S3Command(), args, RENAMED));
  }

  /** The server's folder: its objects, log and pid file. */
  static final class Folder {
    @Option(names = "--workDir", description = "The server's objects and log (default: $DTSTREAM_WORK/s3).")
    Path workDir = WorkDir.resolve("s3");
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Starts the server, unless it runs, and fills an empty bucket with a simulated run.")
  static final class Start implements Callable<Integer> {
    @Mixin Folder folder;

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
      Optional<LocalS3> running = LocalS3.running(folder.workDir);
      LocalS3 s3 = running.isPresent() ? running.get() : LocalS3.start(folder.workDir, port, List.of(bucket));
      int objects = Simulate.fillIfEmpty(s3.endpoint(), bucket, files, rowsPerFile, seed);
      System.out.println(
          (running.isPresent() ? "already running" : "started")
              + ": endpoint=" + s3.endpoint() + " bucket=" + bucket + " objects=" + objects
              + " pid=" + s3.pid() + " workDir=" + folder.workDir);
      return CommandKit.OK;
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops the server; its objects stay.")
  static final class Stop implements Callable<Integer> {
    @Mixin Folder folder;

    @Override
    public Integer call() throws Exception {
      Optional<LocalS3> running = LocalS3.running(folder.workDir);
      running.ifPresent(LocalS3::stop);
      System.out.println(running.isPresent() ? "stopped" : "not running");
      return CommandKit.OK;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Says whether the server runs (exit 0) or not (exit " + NOT_RUNNING + ").")
  static final class Status implements Callable<Integer> {
    @Mixin Folder folder;

    @Override
    public Integer call() throws Exception {
      Optional<LocalS3> running = LocalS3.running(folder.workDir);
      System.out.println(
          running.map(s3 -> "running: endpoint=" + s3.endpoint() + " pid=" + s3.pid()).orElse("not running"));
      return running.isPresent() ? CommandKit.OK : NOT_RUNNING;
    }
  }
}
