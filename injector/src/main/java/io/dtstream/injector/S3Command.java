package io.dtstream.injector;

import io.dtstream.runners.s3.LocalS3;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dtstream s3 start|stop|status}: the local S3 API server, with a bucket that holds a
 * simulated run split in files named as the test stand's ({@code data_000001.txt}, ...).
 */
@Command(
    name = "dtstream s3",
    mixinStandardHelpOptions = true,
    description =
        "Starts, stops or reports the local S3 API server (http://127.0.0.1:9090). On start, an"
            + " empty bucket gets a simulated run. The server accepts any credentials.")
public final class S3Command implements Callable<Integer> {
  @Parameters(index = "0", description = "start, stop or status")
  String action;

  @Option(names = "--port", description = "HTTP port on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
  int port = 9090;

  @Option(names = "--bucket", description = "Bucket to create and fill (default: ${DEFAULT-VALUE}).")
  String bucket = "mapd-minidt-stream";

  @Option(names = "--dataDir", description = "Where the objects are kept (default: the project's work/s3).")
  Path dataDir = Path.of(System.getenv().getOrDefault("DTSTREAM_WORK", "work"), "s3");

  @Option(names = "--files", description = "Simulated files put in an empty bucket (default: ${DEFAULT-VALUE}).")
  int files = 4;

  @Option(names = "--rowsPerFile", description = "Rows per simulated file (default: ${DEFAULT-VALUE}).")
  long rowsPerFile = 250_000;

  @Option(names = "--seed", description = "Seed of the simulation (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  public static void main(String[] args) {
    System.exit(
        new CommandLine(new S3Command())
            .setParameterExceptionHandler(
                (error, args2) -> {
                  System.err.println("dtstream s3: " + error.getMessage() + " (see --help)");
                  return 2;
                })
            .execute(args));
  }

  @Override
  public Integer call() throws IOException {
    Optional<LocalS3> running = LocalS3.running(dataDir);
    switch (action) {
      case "start" -> {
        LocalS3 s3 = running.isPresent() ? running.get() : LocalS3.start(dataDir, port, List.of(bucket));
        int objects = fillIfEmpty(ObjectStore.local(s3.endpoint()));
        System.out.println(
            (running.isPresent() ? "already running" : "started")
                + ": endpoint=" + s3.endpoint() + " bucket=" + bucket + " objects=" + objects
                + " pid=" + s3.pid() + " dataDir=" + dataDir);
        return 0;
      }
      case "stop" -> {
        running.ifPresent(LocalS3::stop);
        System.out.println(running.isPresent() ? "stopped" : "not running");
        return 0;
      }
      case "status" -> {
        System.out.println(
            running.map(s3 -> "running: endpoint=" + s3.endpoint() + " pid=" + s3.pid()).orElse("not running"));
        return running.isPresent() ? 0 : 3;
      }
      default -> {
        System.err.println("dtstream s3: unknown action '" + action + "' (start, stop or status)");
        return 2;
      }
    }
  }

  /** Puts the simulated run in the bucket unless it holds objects already; returns their count. */
  int fillIfEmpty(ObjectStore store) throws IOException {
    store.register();
    String prefix = "s3://" + bucket + "/";
    int existing = FileSystems.match(prefix + "**", EmptyMatchTreatment.ALLOW).metadata().size();
    if (existing > 0) {
      return existing;
    }
    DetectorSimulation simulation = DetectorSimulation.fromSpec("sim:seed=" + seed);
    for (int file = 1; file <= files; file++) {
      URI object = URI.create(prefix + String.format("data_%06d.txt", file));
      try (OutputStream out =
          Channels.newOutputStream(
              FileSystems.create(FileSystems.matchNewResource(object.toString(), false), "text/plain"))) {
        Simulate.writeCsv(simulation, rowsPerFile, out);
      }
    }
    return files;
  }
}
