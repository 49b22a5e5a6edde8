package io.dtstream.runners;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.contract.cli.WorkDir;
import io.dtstream.local.LocalSparkCluster;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dtstream spark-cluster start|stop|status}: a local Spark standalone cluster. */
@Command(
    name = "dtstream spark-cluster",
    mixinStandardHelpOptions = true,
    subcommands = {SparkClusterCommand.Start.class, SparkClusterCommand.Stop.class, SparkClusterCommand.Status.class},
    description = {
      "Starts, stops or reports a Spark standalone cluster on 127.0.0.1 (a master and N workers),",
      "from the project's own Spark artifacts. Submit to it with",
      "dtstream pipeline --runner=SparkRunner --sparkMaster=spark://127.0.0.1:7077"
    })
public final class SparkClusterCommand extends ServerCommand {
  /** The SparkRunner's classpath, which the launcher names: what masters and workers run on. */
  static final String CLASSPATH_VARIABLE = "DTSTREAM_SPARK_CLASSPATH";

  public static void main(String[] args) {
    System.exit(CommandKit.execute("dtstream spark-cluster", new SparkClusterCommand(), args, RENAMED));
  }

  /** The cluster's folder: its Spark home, logs and pid files. */
  static final class Folder {
    @Option(names = "--workDir", description = "The cluster's state and logs (default: $DTSTREAM_WORK/spark).")
    Path workDir = WorkDir.resolve("spark");
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Starts a master and workers, unless they run.")
  static final class Start implements Callable<Integer> {
    @Mixin Folder folder;

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
      Optional<LocalSparkCluster> running = LocalSparkCluster.running(folder.workDir);
      if (running.isPresent()) {
        System.out.println("already running: master=" + running.get().masterUrl());
        return CommandKit.OK;
      }
      String classpath = System.getenv(CLASSPATH_VARIABLE);
      if (classpath == null || classpath.isBlank()) {
        throw new IllegalStateException(CLASSPATH_VARIABLE + " is not set: start the cluster with runners/dtstream");
      }
      LocalSparkCluster cluster =
          LocalSparkCluster.start(folder.workDir, classpath, host, master, workers, cores, memory, port, webUiPort);
      System.out.println(
          master != null
              ? "started " + workers + " worker(s) joining " + master + " logs=" + folder.workDir
              : "started: master=" + cluster.masterUrl() + " workers=" + cluster.aliveWorkers()
                  + " webUi=" + cluster.webUiUrl() + " logs=" + folder.workDir);
      return CommandKit.OK;
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops the workers, then the master.")
  static final class Stop implements Callable<Integer> {
    @Mixin Folder folder;

    @Override
    public Integer call() throws Exception {
      Optional<LocalSparkCluster> running = LocalSparkCluster.running(folder.workDir);
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
      description = "Says whether the cluster runs (exit 0) or not (exit " + NOT_RUNNING + ").")
  static final class Status implements Callable<Integer> {
    @Mixin Folder folder;

    @Override
    public Integer call() throws Exception {
      Optional<LocalSparkCluster> running = LocalSparkCluster.running(folder.workDir);
      System.out.println(
          running
              .map(c -> "running: master=" + c.masterUrl() + " workers=" + c.aliveWorkers())
              .orElse("not running"));
      return running.isPresent() ? CommandKit.OK : NOT_RUNNING;
    }
  }
}
