package io.dtstream.runners;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.local.LocalSparkCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;

/** {@code dtstream spark-cluster start|stop|status}: a local Spark standalone cluster. */
@Command(
    name = "dtstream spark-cluster",
    mixinStandardHelpOptions = true,
    subcommands = {SparkClusterCommand.Start.class, ServerCommand.Stop.class, ServerCommand.Status.class},
    description = {
      "Starts, stops or reports a Spark standalone cluster on 127.0.0.1 (a master and N workers),",
      "from the project's own Spark artifacts. Submit to it with",
      "dtstream pipeline --runner=SparkRunner --sparkMaster=spark://127.0.0.1:7077"
    })
public final class SparkClusterCommand extends ServerCommand {
  /** The SparkRunner's classpath, which the launcher names: what masters and workers run on. */
  static final String CLASSPATH_VARIABLE = "DTSTREAM_SPARK_CLASSPATH";

  SparkClusterCommand() {
    super("spark");
  }

  public static void main(String[] args) {
    System.exit(CommandKit.execute("dtstream spark-cluster", new SparkClusterCommand(), args, RENAMED));
  }

  @Override
  Optional<LocalSparkCluster> running(Path workDir) throws IOException {
    return LocalSparkCluster.running(workDir);
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Starts a master and workers, unless they run.")
  static final class Start implements Callable<Integer> {
    @ParentCommand SparkClusterCommand server;

    @Option(names = "--host", description = "Address to bind: 127.0.0.1, or this host's address for a cluster over several machines (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--master", description = "Start only workers, joining this master (spark://HOST:7077), e.g. on another machine.")
    String master;

    @Option(names = "--workers", description = "Workers (default: ${DEFAULT-VALUE}).")
    int workers = 1;

    @Option(names = "--cores", description = "Cores per worker (default: ${DEFAULT-VALUE}).")
    int cores = 2;

    @Option(names = "--memory", description = "Memory per worker (default: ${DEFAULT-VALUE}).")
    String memory = "2g";

    @Option(names = "--port", description = "Master port (default: ${DEFAULT-VALUE}).")
    int port = 7077;

    @Option(names = "--webUiPort", description = "Master web UI port (default: ${DEFAULT-VALUE}).")
    int webUiPort = 8080;

    @Override
    public Integer call() throws Exception {
      Optional<LocalSparkCluster> running = LocalSparkCluster.running(server.workDir);
      if (running.isPresent()) {
        System.out.println("already running: master=" + running.get().masterUrl());
        return CommandKit.OK;
      }
      String classpath = System.getenv(CLASSPATH_VARIABLE);
      if (classpath == null || classpath.isBlank()) {
        throw new IllegalStateException(CLASSPATH_VARIABLE + " is not set: start the cluster with runners/dtstream");
      }
      LocalSparkCluster cluster =
          LocalSparkCluster.start(server.workDir, classpath, host, master, workers, cores, memory, port, webUiPort);
      System.out.println(
          master != null
              ? "started " + workers + " worker(s) joining " + master + " logs=" + server.workDir
              : "started: master=" + cluster.masterUrl() + " workers=" + cluster.aliveWorkers()
                  + " webUi=" + cluster.webUiUrl() + " logs=" + server.workDir);
      return CommandKit.OK;
    }
  }
}
