package io.dtstream.contract.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The project's topics and their creation, against any broker: the one place that creates them
 * (the pipeline, the injector, {@code dtstream kafka start} and the tests all come here).
 */
public final class Topics {
  /** Raw CSV rows, one or several per record. */
  public static final String RAW = "data_raw";
  /** One results message per window, keyed by window start. */
  public static final String RESULTS = "data_clean";
  /** The dashboard's alarm transitions, one JSON alarm per record, keyed by the alarm's id. */
  public static final String ALARMS = "dqm_alarms";
  /** Malformed rows, as {@code {"reason", "line"}}. */
  public static final String DEAD_LETTERS = "data_raw.dlq";
  /** Partitions of a raw topic that has to be created. */
  public static final int RAW_PARTITIONS = 4;

  /**
   * A topic to create if it is missing. Replication is the broker's default
   * ({@code default.replication.factor}), so the same code serves one local broker and a cluster.
   */
  public record Spec(String name, int partitions, Map<String, String> configs) {
    public static Spec of(String name, int partitions) {
      return new Spec(name, partitions, Map.of());
    }

    /**
     * The results topic: compacted, since "the latest message per key" is its contract (a window
     * emitted again replaces the earlier one).
     */
    public static Spec results(String name) {
      return new Spec(name, 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    NewTopic newTopic() {
      return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
    }
  }

  private Topics() {}

  /**
   * Points {@code consumer} at every partition of {@code topic}, from its beginning, with no
   * consumer group: it joins none (nothing waits on a group coordinator, which a broker killed and
   * restarted may be slow to serve again) and leaves nothing on the broker. Returns the partitions.
   */
  public static List<TopicPartition> readFromStart(Consumer<?, ?> consumer, String topic, Duration timeout) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, timeout).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    return partitions;
  }

  /** Creates the topics that do not exist yet (plain ones, with these partitions), within 30 s. */
  public static void ensure(String bootstrapServers, Map<String, Integer> partitionsByTopic) {
    ensure(
        bootstrapServers,
        Map.of(),
        partitionsByTopic.entrySet().stream().map(e -> Spec.of(e.getKey(), e.getValue())).toList(),
        Duration.ofSeconds(30));
  }

  /**
   * Creates the topics that do not exist yet, leaving existing ones as they are, and waits until
   * the broker leads every partition of them. Retries to reach the broker for at most {@code
   * timeout}.
   *
   * @throws SecurityMismatch when the broker and this client do not agree on security
   * @throws IllegalStateException when the broker cannot be reached or refuses
   */
  public static void ensure(
      String bootstrapServers, Map<String, Object> adminConfig, Collection<Spec> topics, Duration timeout) {
    Properties config = new Properties();
    config.putAll(adminConfig);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 30_000));
    try (Admin admin = Admin.create(config)) {
      Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<NewTopic> missing =
          topics.stream().filter(t -> !existing.contains(t.name())).map(Spec::newTopic).toList();
      for (var result : admin.createTopics(missing).values().values()) {
        try {
          result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      awaitLeaders(admin, topics.stream().map(Spec::name).collect(Collectors.toSet()), timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      SecurityMismatch.of(bootstrapServers, adminConfig, e).ifPresent(mismatch -> {
        throw mismatch;
      });
      throw new IllegalStateException(
          "cannot create topics on " + bootstrapServers + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits until the broker itself serves every partition of {@code topics} with a leader. A topic
   * is created as soon as the controller has it; an idempotent producer that writes before the
   * broker leads its partitions got NOT_LEADER_OR_FOLLOWER and then OUT_OF_ORDER_SEQUENCE_NUMBER
   * until its delivery timeout (KAFKA-15591, fixed in brokers after 4.1).
   */
  private static void awaitLeaders(Admin admin, Set<String> topics, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    Instant deadline = Instant.now().plus(timeout);
    while (!allLed(admin, topics, timeout)) {
      if (Instant.now().isAfter(deadline)) {
        throw new TimeoutException("partitions without a leader after " + timeout);
      }
      Thread.sleep(100);
    }
    // The metadata can name a leader before that broker acts as one (a first produce then still
    // got NOT_LEADER_OR_FOLLOWER and the idempotent producer stalled, HostileFilesTest,
    // 2026-12-02): a ListOffsets is answered by the leader itself, and the admin client retries it
    // until the broker serves the partition.
    if (!topics.isEmpty()) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .forEach((name, description) -> description.partitions()
              .forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
      admin.listOffsets(latest).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static boolean allLed(Admin admin, Set<String> topics, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    if (topics.isEmpty()) {
      return true;
    }
    try {
      return admin.describeTopics(topics).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .values().stream()
          .flatMap(description -> description.partitions().stream())
          .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false; // created, but not yet known to the broker
      }
      throw e;
    }
  }
}
