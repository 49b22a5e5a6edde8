package io.dtstream.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster from the project's own Spark artifacts: a master and N workers
 * ({@code org.apache.spark.deploy.master.Master} / {@code worker.Worker}), each in its own JVM, on
 * 127.0.0.1 by default; workers on other machines join with {@code --master}. They run on the
 * classpath given (the SparkRunner's), and launch executors from a Spark home whose {@code jars/}
 * links to it. Used alike by {@code dtstream spark-cluster} and the tests.
 */
public final class LocalSparkCluster implements LocalServer {
  private final Path workDir;
  private final String classpath;
  private final String host;
  private final int masterPort;
  private final int webUiPort;

  private LocalSparkCluster(Path workDir, String classpath, String host, int masterPort, int webUiPort) {
    this.workDir = workDir;
    this.classpath = classpath;
    this.host = host;
    this.masterPort = masterPort;
    this.webUiPort = webUiPort;
  }

  /**
   * A master and {@code workers} workers, all on 127.0.0.1, on {@code classpath}: Spark's own
   * classpath (the SparkRunner's, in runners/spark).
   */
  public static LocalSparkCluster start(
      Path workDir, String classpath, int workers, int cores, String memory, int masterPort, int webUiPort)
      throws IOException {
    return start(workDir, classpath, "127.0.0.1", null, workers, cores, memory, masterPort, webUiPort);
  }

  /**
   * Workers bound to {@code host}, joining {@code joinMaster}, or else a new master on {@code host}
   * (the way to spread one cluster over several machines).
   */
  public static LocalSparkCluster start(
      Path workDir, String classpath, String host, String joinMaster, int workers, int cores,
      String memory, int masterPort, int webUiPort) throws IOException {
    Files.createDirectories(workDir);
    Path sparkHome = linkSparkHome(workDir.resolve("home"), classpath);
    LocalSparkCluster cluster = new LocalSparkCluster(workDir, classpath, host, masterPort, webUiPort);
    String master = joinMaster != null ? joinMaster : cluster.masterUrl();
    if (joinMaster == null) {
      cluster.launch(
          "master", sparkHome, "org.apache.spark.deploy.master.Master",
          "--host", host, "--port", Integer.toString(masterPort),
          "--webui-port", Integer.toString(webUiPort));
    }
    ClusterProcesses.writePorts(workDir, host, masterPort, webUiPort);
    for (int i = 0; i < workers; i++) {
      Path dir = Files.createDirectories(workDir.resolve("worker-" + i));
      cluster.launch(
          "worker-" + i, sparkHome, "org.apache.spark.deploy.worker.Worker",
          "--host", host, "--cores", Integer.toString(cores), "--memory", memory,
          "--work-dir", dir.toString(), "--webui-port", "0", master);
    }
    if (joinMaster == null) {
      ClusterProcesses.await(workDir, "Spark", "master", cluster::aliveWorkers, workers);
    }
    return cluster;
  }

  /** What was started earlier in {@code workDir}, if any of it is still running. */
  public static Optional<LocalSparkCluster> running(Path workDir) throws IOException {
    return ClusterProcesses.runningPorts(workDir)
        .map(ports -> new LocalSparkCluster(
            workDir, null, ports[0], Integer.parseInt(ports[1]), Integer.parseInt(ports[2])));
  }

  public String masterUrl() {
    return "spark://" + host + ":" + masterPort;
  }

  public String webUiUrl() {
    return "http://" + host + ":" + webUiPort;
  }

  /** Workers registered with the master and alive. */
  public int aliveWorkers() {
    return ClusterProcesses.getJson(webUiUrl() + "/json/").path("aliveworkers").asInt(0);
  }

  @Override
  public String describe() {
    return "master=" + masterUrl() + " workers=" + aliveWorkers();
  }

  /** Stops workers, then the master. */
  @Override
  public void stop() throws IOException {
    ClusterProcesses.stopAll(workDir);
  }

  private void launch(String name, Path sparkHome, String mainClass, String... args) throws IOException {
    List<String> command = ClusterProcesses.javaCommand("-Xmx512m", classpath, mainClass);
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("SPARK_HOME", sparkHome.toString());
    builder.environment().put("SPARK_SCALA_VERSION", "2.12");
    builder.environment().put("SPARK_LOCAL_IP", host);
    LocalProcess.in(workDir, name).start(builder, workDir.resolve(name + ".log"));
  }

  /** A Spark home whose jars/ are links to {@code classpath}: what executors are started with. */
  private static Path linkSparkHome(Path home, String classpath) throws IOException {
    Path jars = home.resolve("jars");
    if (Files.isDirectory(jars)) {
      try (Stream<Path> old = Files.list(jars)) {
        for (Path link : old.toList()) {
          Files.delete(link);
        }
      }
    }
    Files.createDirectories(jars);
    for (String entry : classpath.split(File.pathSeparator)) {
      Path jar = Path.of(entry).toAbsolutePath();
      if (entry.endsWith(".jar") && Files.isRegularFile(jar)) {
        Path link = jars.resolve(jar.getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, jar);
        }
      }
    }
    return home;
  }
}
