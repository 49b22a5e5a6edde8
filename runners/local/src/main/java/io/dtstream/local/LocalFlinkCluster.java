package io.dtstream.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

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
  private static final Duration STARTUP = Duration.ofSeconds(90);

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
      Files.writeString(workDir.resolve("ports"), host + " " + restPort);
    }
    for (int i = 0; i < taskManagers; i++) {
      // the jobs' heap and Flink's own (128 MB by default)
      cluster.launch("taskmanager-" + i, classpath, conf, "-Xmx" + (memoryMb + 256) + "m",
          "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
    }
    if (joinJobManager == null) {
      cluster.awaitTaskManagers(taskManagers);
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
    Path ports = workDir.resolve("ports");
    if (!Files.exists(ports)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(workDir)) {
      if (files.filter(p -> p.toString().endsWith(".pid")).allMatch(p -> new LocalProcess(p).running().isEmpty())) {
        return Optional.empty();
      }
    }
    String[] values = Files.readString(ports).trim().split(" ");
    return Optional.of(new LocalFlinkCluster(workDir, values[0], Integer.parseInt(values[1])));
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
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(webUiUrl() + "/taskmanagers")).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new ObjectMapper().readTree(response.body()).path("taskmanagers").size();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  @Override
  public String describe() {
    return "flinkMaster=" + master() + " taskManagers=" + taskManagers() + " webUi=" + webUiUrl();
  }

  /** Stops the TaskManagers, then the JobManager. */
  @Override
  public void stop() throws IOException {
    List<Path> pidFiles;
    try (Stream<Path> files = Files.list(workDir)) {
      pidFiles = new ArrayList<>(files.filter(p -> p.toString().endsWith(".pid")).sorted().toList());
    }
    Collections.reverse(pidFiles); // taskmanager-* sort after jobmanager
    for (Path pidFile : pidFiles) {
      new LocalProcess(pidFile).stop();
    }
  }

  private void launch(String name, String classpath, Path conf, String heap, String mainClass) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(LocalProcess.java());
    // the same --add-opens as this JVM (Flink on Java 17), wherever they came from
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(arg -> arg.startsWith("--add-opens") || arg.startsWith("--add-exports"))
        .forEach(command::add);
    command.add(heap);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.add("--configDir");
    command.add(conf.toString());
    LocalProcess.in(workDir, name).start(new ProcessBuilder(command), workDir.resolve(name + ".log"));
  }

  private void awaitTaskManagers(int expected) throws IOException {
    Instant deadline = Instant.now().plus(STARTUP);
    while (Instant.now().isBefore(deadline)) {
      if (LocalProcess.in(workDir, "jobmanager").running().isEmpty()) {
        throw new IOException("the Flink JobManager exited; see " + workDir.resolve("jobmanager.log"));
      }
      if (taskManagers() >= expected) {
        return;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    stop();
    throw new IOException("the Flink cluster did not come up within " + STARTUP.toSeconds() + " s; see the logs in " + workDir);
  }
}
