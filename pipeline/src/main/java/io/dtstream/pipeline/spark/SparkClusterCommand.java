package io.dtstream.pipeline.spark;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dtstream spark-cluster start|stop|status}: a local Spark standalone cluster. */
@Command(
    name = "dtstream spark-cluster",
    mixinStandardHelpOptions = true,
    description = {
      "Starts, stops or reports a Spark standalone cluster on 127.0.0.1 (a master and N workers),",
      "from the project's own Spark artifacts. Submit to it with",
      "dtstream pipeline --runner=SparkRunner --sparkMaster=spark://127.0.0.1:7077"
    })
public final class SparkClusterCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "start, stop or status")
  private String action;

  @Option(names = "--host", description = "Address to bind: 127.0.0.1, or this host's address for a cluster over several machines (default: ${DEFAULT-VALUE}).")
  private String host = "127.0.0.1";

  @Option(names = "--master", description = "Start only workers, joining this master (spark://HOST:7077), e.g. on another machine.")
  private String master;

  @Option(names = "--workers", description = "Workers (default: ${DEFAULT-VALUE}).")
  private int workers = 1;

  @Option(names = "--cores", description = "Cores per worker (default: ${DEFAULT-VALUE}).")
  private int cores = 2;

  @Option(names = "--memory", description = "Memory per worker (default: ${DEFAULT-VALUE}).")
  private String memory = "2g";

  @Option(names = "--port", description = "Master port (default: ${DEFAULT-VALUE}).")
  private int port = 7077;

  @Option(names = "--webUiPort", description = "Master web UI port (default: ${DEFAULT-VALUE}).")
  private int webUiPort = 8080;

  @Option(names = "--workDir", description = "State and logs (default: the project's work/spark).")
  private Path workDir = Path.of(System.getenv().getOrDefault("DTSTREAM_WORK", "work"), "spark");

  public static void main(String[] args) {
    System.exit(new CommandLine(new SparkClusterCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Optional<LocalSparkCluster> running = LocalSparkCluster.running(workDir);
    switch (action) {
      case "start" -> {
        if (running.isPresent()) {
          System.out.println("already running: master=" + running.get().masterUrl());
          return 0;
        }
        LocalSparkCluster cluster =
            LocalSparkCluster.start(workDir, host, master, workers, cores, memory, port, webUiPort);
        System.out.println(
            master != null
                ? "started " + workers + " worker(s) joining " + master + " logs=" + workDir
                : "started: master=" + cluster.masterUrl() + " workers=" + cluster.aliveWorkers()
                    + " webUi=" + cluster.webUiUrl() + " logs=" + workDir);
        return 0;
      }
      case "stop" -> {
        if (running.isPresent()) {
          running.get().stop();
        }
        System.out.println(running.isPresent() ? "stopped" : "not running");
        return 0;
      }
      case "status" -> {
        System.out.println(
            running
                .map(c -> "running: master=" + c.masterUrl() + " workers=" + c.aliveWorkers())
                .orElse("not running"));
        return running.isPresent() ? 0 : 3;
      }
      default -> {
        System.err.println("dtstream spark-cluster: unknown action '" + action + "' (start, stop or status)");
        return 2;
      }
    }
  }
}
