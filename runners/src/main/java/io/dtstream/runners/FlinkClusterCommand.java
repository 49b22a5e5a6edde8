package io.dtstream.runners;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.local.LocalFlinkCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code dtstream flink-cluster start|stop|status}: a local Flink session cluster. */
@Command(
    name = "dtstream flink-cluster",
    mixinStandardHelpOptions = true,
    subcommands = {FlinkClusterCommand.Start.class, ServerCommand.Stop.class, ServerCommand.Status.class},
    description = {
      "Starts, stops or reports a Flink session cluster on 127.0.0.1 (a JobManager and N",
      "TaskManagers), from the project's own Flink artifacts. Submit to it with",
      "dtstream pipeline --runner=FlinkRunner --flinkMaster=127.0.0.1:8081"
    })
public final class FlinkClusterCommand extends ServerCommand {
  /** The FlinkRunner's classpath, which the launcher names: what the cluster's JVMs run on. */
  static final String CLASSPATH_VARIABLE = "DTSTREAM_FLINK_CLASSPATH";

  FlinkClusterCommand() {
    super("flink");
  }

  public static void main(String[] args) {
    System.exit(CommandKit.execute("dtstream flink-cluster", new FlinkClusterCommand(), args, RENAMED));
  }

  @Override
  Optional<LocalFlinkCluster> running(Path workDir) throws IOException {
    return LocalFlinkCluster.running(workDir);
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Starts a JobManager and TaskManagers, unless they run.")
  static final class Start implements Callable<Integer> {
    @ParentCommand FlinkClusterCommand server;

    @Option(names = "--host", description = "Address to bind: 127.0.0.1, or this host's address for a cluster over several machines (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--jobManager", description = "Start only TaskManagers, joining this JobManager (HOST:6123, its RPC port), e.g. on another machine.")
    String jobManager;

    @Option(names = "--taskManagers", description = "TaskManagers (default: ${DEFAULT-VALUE}).")
    int taskManagers = 1;

    @Option(names = "--slots", description = "Task slots per TaskManager (default: ${DEFAULT-VALUE}).")
    int slots = 2;

    @Option(names = "--memory", description = "Heap for the jobs per TaskManager, Flink's taskmanager.memory.task.heap.size (default: ${DEFAULT-VALUE}).")
    String memory = "1g";

    @Option(names = "--port", description = "JobManager RPC port (default: ${DEFAULT-VALUE}).")
    int port = 6123;

    @Option(names = "--webUiPort", description = "JobManager REST and web UI port, what --flinkMaster names (default: ${DEFAULT-VALUE}).")
    int webUiPort = 8081;

    @Override
    public Integer call() throws Exception {
      if (taskManagers < 0 || slots < 1) {
        throw new CommandKit.UsageError("--taskManagers must be 0 or more and --slots 1 or more");
      }
      if (!memory.matches("\\d+[mMgG]")) {
        throw new CommandKit.UsageError("--memory must be a size such as 512m or 2g, got " + memory);
      }
      if (jobManager != null && !jobManager.matches("[^:]+:\\d+")) {
        throw new CommandKit.UsageError("--jobManager must be HOST:PORT, got " + jobManager);
      }
      Optional<LocalFlinkCluster> running = LocalFlinkCluster.running(server.workDir);
      if (running.isPresent()) {
        System.out.println("already running: flinkMaster=" + running.get().master());
        return CommandKit.OK;
      }
      String classpath = System.getenv(CLASSPATH_VARIABLE);
      if (classpath == null || classpath.isBlank()) {
        throw new IllegalStateException(CLASSPATH_VARIABLE + " is not set: start the cluster with runners/dtstream");
      }
      LocalFlinkCluster cluster = LocalFlinkCluster.start(
          server.workDir, classpath, host, jobManager, taskManagers, slots, memory, port, webUiPort);
      System.out.println(
          jobManager != null
              ? "started " + taskManagers + " TaskManager(s) joining " + jobManager + " logs=" + server.workDir
              : "started: flinkMaster=" + cluster.master() + " taskManagers=" + cluster.taskManagers()
                  + " webUi=" + cluster.webUiUrl() + " logs=" + server.workDir);
      return CommandKit.OK;
    }
  }
}
