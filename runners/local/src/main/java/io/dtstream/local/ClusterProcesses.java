package io.dtstream.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
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
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the local clusters (Spark's and Flink's) share. Each JVM of a cluster has a pid file in the
 * cluster's folder, named after its role ({@code master}, {@code worker-0} ...); a {@code ports}
 * file says where its leader listens, and a start is found again through it while any of the JVMs
 * runs. Members stop before their leader (reverse name order), and a start waits until the leader
 * reports them all.
 */
final class ClusterProcesses {
  static final Duration STARTUP = Duration.ofSeconds(90);
  private static final String PORTS = "ports";

  private ClusterProcesses() {}

  /** Records where the leader listens, as fields separated by spaces. */
  static void writePorts(Path workDir, Object... fields) throws IOException {
    Files.writeString(workDir.resolve(PORTS), Stream.of(fields).map(String::valueOf).collect(Collectors.joining(" ")));
  }

  /** The fields {@link #writePorts} wrote, if a cluster was started in {@code workDir} and any of its JVMs runs. */
  static Optional<String[]> runningPorts(Path workDir) throws IOException {
    Path ports = workDir.resolve(PORTS);
    if (!Files.exists(ports)) {
      return Optional.empty();
    }
    if (pidFiles(workDir).stream().allMatch(p -> new LocalProcess(p).running().isEmpty())) {
      return Optional.empty();
    }
    return Optional.of(Files.readString(ports).trim().split(" "));
  }

  /** Stops the members, then the leader. */
  static void stopAll(Path workDir) throws IOException {
    List<Path> membersFirst = new ArrayList<>(pidFiles(workDir));
    Collections.reverse(membersFirst);
    for (Path pidFile : membersFirst) {
      new LocalProcess(pidFile).stop();
    }
  }

  /**
   * {@code java} with this JVM's {@code --add-opens} and {@code --add-exports} (the runner's Java 17
   * flags, wherever they came from), {@code heap}, the classpath and the main class.
   */
  static List<String> javaCommand(String heap, String classpath, String mainClass) {
    List<String> command = new ArrayList<>();
    command.add(LocalProcess.java());
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(arg -> arg.startsWith("--add-opens") || arg.startsWith("--add-exports"))
        .forEach(command::add);
    command.addAll(List.of(heap, "-cp", classpath, mainClass));
    return command;
  }

  /** The JSON at {@code url}, or a missing node while nothing answers there. */
  static JsonNode getJson(String url) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new ObjectMapper().readTree(response.body());
    } catch (IOException e) {
      return MissingNode.getInstance();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return MissingNode.getInstance();
    }
  }

  /**
   * Waits until {@code members} reports {@code expected}; fails if the leader's JVM ({@code
   * leader}, its pid file's name) exits, or after {@link #STARTUP}, when it stops what it started.
   *
   * @param what the cluster and its leader as messages name them: "Spark", "master"
   */
  static void await(Path workDir, String what, String leader, IntSupplier members, int expected) throws IOException {
    Instant deadline = Instant.now().plus(STARTUP);
    while (Instant.now().isBefore(deadline)) {
      if (LocalProcess.in(workDir, leader).running().isEmpty()) {
        throw new IOException("the " + what + " " + leader + " exited; see " + workDir.resolve(leader + ".log"));
      }
      if (members.getAsInt() >= expected) {
        return;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
    stopAll(workDir);
    throw new IOException(
        "the " + what + " cluster did not come up within " + STARTUP.toSeconds() + " s; see the logs in " + workDir);
  }

  private static List<Path> pidFiles(Path workDir) throws IOException {
    try (Stream<Path> files = Files.list(workDir)) {
      return files.filter(p -> p.toString().endsWith(".pid")).sorted().toList();
    }
  }
}
