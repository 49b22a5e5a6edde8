package io.dtstream.runners.bench;

import io.dtstream.contract.kafka.Topics;
import io.dtstream.contract.cli.WorkDir;
import io.dtstream.local.LocalKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The broker of a benchmark: the one given, or a fresh local one started for the run (and
 * removed after it). Topics are new for every run and deleted at the end.
 */
final class BenchBroker implements AutoCloseable {
  private final String bootstrapServers;
  private final LocalKafka ownBroker;
  private final List<String> topics = new ArrayList<>();

  private BenchBroker(String bootstrapServers, LocalKafka ownBroker) {
    this.bootstrapServers = bootstrapServers;
    this.ownBroker = ownBroker;
  }

  static BenchBroker open(BenchSettings settings) throws IOException {
    if (!settings.bootstrapServers.isBlank()) {
      return new BenchBroker(settings.bootstrapServers, null);
    }
    Path dir = WorkDir.resolve("bench").resolve("kafka-" + System.currentTimeMillis());
    System.err.println("dtstream bench: starting a fresh broker in " + dir);
    int[] ports = LocalKafka.freePorts(2);
    LocalKafka kafka = LocalKafka.start(dir, ports[0], ports[1]);
    return new BenchBroker(kafka.bootstrapServers(), kafka);
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  /** A new topic {@code prefix-<time>} with the given partitions. */
  String newTopic(String prefix, int partitions) {
    String topic = prefix + "-" + System.currentTimeMillis();
    Topics.ensure(bootstrapServers, Map.of(topic, partitions));
    topics.add(topic);
    return topic;
  }

  /** Remembers a topic made by someone else (the pipeline's outputs), to delete it at the end. */
  void deleteAtEnd(String topic) {
    topics.add(topic);
  }

  @Override
  public void close() throws IOException {
    if (ownBroker != null) {
      Path dir = ownBroker.dataDir();
      ownBroker.stop();
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
      return;
    }
    Properties config = new Properties();
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(config)) {
      admin.deleteTopics(topics).all().get();
    } catch (Exception e) {
      System.err.println("dtstream bench: could not delete the topics " + topics + ": " + e.getMessage());
    }
  }
}
