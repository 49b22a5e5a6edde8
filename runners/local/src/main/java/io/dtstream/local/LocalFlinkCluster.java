package io.dtstream.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A Flink 1.19 session cluster from the project's own Flink artifacts: a JobManager ({@code
 * StandaloneSessionClusterEntrypoint}) and N TaskManagers ({@code TaskManagerRunner}), each in its
 * own JVM, on 127.0.0.1 by default; TaskManagers on other machines join with {@code --jobManager}.
 * They read the configuration this class writes ({@code conf/config.yaml} in the work folder) and
 * run on the classpath given (the FlinkRunner's), loading a job's classes parent-first, so that the
 * pipeline jar a job ships (Beam and the pipeline, for a real Flink installation) does not load
 * Beam a second time beside the cluster's own. Used alike by {@code dtstream flink-cluster} and the
 * tests.
 */
public final class LocalFlinkCluster implements LocalServer {
  private final Path workDir;
  private final String host;
  private final int restPort;

  private LocalFlinkCluster(Path workDir, String host, int restPort) {
    this.workDir = workDir;
    this.host = host;
    this.restPort = restPort;
  }

  /** A JobManager and {@code taskManagers} TaskManagers, all on 127.0.0.1, on {@code classpath}. */
  public static LocalFlinkCluster start(
      Path workDir, String classpath, int taskManagers, int slots, String memory, int rpcPort, int restPort)
      throws IOException {
    return start(workDir, classpath, "127.0.0.1", null, taskManagers, slots, memory, rpcPort, restPort);
  }

  /**
   * TaskManagers bound to {@code host}, joining the JobManager at {@code joinJobManager}
   * (HOST:RPC_PORT), or else a new JobManager on {@code host} too (the way to spread one cluster
   * over several machines).
   */
  public static LocalFlinkCluster start(
      Path workDir, String classpath, String host, String joinJobManager, int taskManagers, int slots,
      String memory, int rpcPort, int restPort) throws IOException {
    Files.createDirectories(workDir);
    long memoryMb = megabytes(memory);
    String jobManagerHost = joinJobManager == null ? host : joinJobManager.split(":")[0];
    int jobManagerPort = joinJobManager == null ? rpcPort : Integer.parseInt(joinJobManager.split(":")[1]);
    Path conf = Files.createDirectories(workDir.resolve("conf"));
    Files.writeString(
        conf.resolve("config.yaml"),
        String.join(
            "\n",
            "# written by dtstream flink-cluster start",
            "jobmanager.rpc.address: " + jobManagerHost,
            "jobmanager.rpc.port: " + jobManagerPort,
            "jobmanager.bind-host: " + host,
            "jobmanager.memory.process.size: 1024m",
            "rest.address: " + jobManagerHost,
            "rest.port: " + restPort,
            "rest.bind-address: " + host,
            "taskmanager.host: " + host,
            "taskmanager.bind-host: " + host,
            "taskmanager.numberOfTaskSlots: " + slots,
            // Flink's scripts derive a TaskManager's resources; started without them it wants them
            // all said: a core per slot, the jobs' heap (--memory), and small fixed shares for
            // the network buffers and managed memory (this pipeline keeps its state on the heap).
            "taskmanager.cpu.cores: " + slots,
            "taskmanager.memory.task.heap.size: " + memoryMb + "m",
            "taskmanager.memory.task.off-heap.size: 0m",
            "taskmanager.memory.network.min: 64m",
            "taskmanager.memory.network.max: 64m",
            "taskmanager.memory.managed.size: 128m",
            "taskmanager.memory.framework.heap.size: 128m",
            "taskmanager.memory.framework.off-heap.size: 128m",
            "taskmanager.memory.jvm-metaspace.size: 256m",
            "taskmanager.memory.jvm-overhead.min: 192m",
            "taskmanager.memory.jvm-overhead.max: 192m",
            // the job's jar repeats classes of the cluster's classpath: take the cluster's
            "classloader.resolve-order: parent-first",
            ""));
    LocalFlinkCluster cluster = new LocalFlinkCluster(workDir, host, restPort);
    if (joinJobManager == null) {
      cluster.launch("jobmanager", classpath, conf, "-Xmx512m",
          "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
      ClusterProcesses.writePorts(workDir, host, restPort);
    }
    for (int i = 0; i < taskManagers; i++) {
      // the jobs' heap and Flink's own (128 MB by default)
      cluster.launch("taskmanager-" + i, classpath, conf, "-Xmx" + (memoryMb + 256) + "m",
          "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
    }
    if (joinJobManager == null) {
      ClusterProcesses.await(workDir, "Flink", "jobmanager", cluster::taskManagers, taskManagers);
    }
    return cluster;
  }

  /** {@code 512m}, {@code 2g} ... in megabytes. */
  static long megabytes(String size) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([mMgG])").matcher(size.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("a memory size is a number and m or g (512m, 2g), got " + size);
    }
    return Long.parseLong(m.group(1)) * (m.group(2).equalsIgnoreCase("g") ? 1024 : 1);
  }

  /** What was started earlier in {@code workDir}, if any of it is still running. */
  public static Optional<LocalFlinkCluster> running(Path workDir) throws IOException {
    return ClusterProcesses.runningPorts(workDir)
        .map(ports -> new LocalFlinkCluster(workDir, ports[0], Integer.parseInt(ports[1])));
  }

  /** What {@code --flinkMaster} takes: the JobManager's REST address. */
  public String master() {
    return host + ":" + restPort;
  }

  public String webUiUrl() {
    return "http://" + host + ":" + restPort;
  }

  /** TaskManagers registered with the JobManager. */
  public int taskManagers() {
    return ClusterProcesses.getJson(webUiUrl() + "/taskmanagers").path("taskmanagers").size();
  }

  @Override
  public String describe() {
    return "flinkMaster=" + master() + " taskManagers=" + taskManagers() + " webUi=" + webUiUrl();
  }

  /** Stops the TaskManagers, then the JobManager. */
  @Override
  public void stop() throws IOException {
    ClusterProcesses.stopAll(workDir);
  }

  private void launch(String name, String classpath, Path conf, String heap, String mainClass) throws IOException {
    List<String> command = ClusterProcesses.javaCommand(heap, classpath, mainClass);
    command.addAll(List.of("--configDir", conf.toString()));
    LocalProcess.in(workDir, name).start(new ProcessBuilder(command), workDir.resolve(name + ".log"));
  }
}
