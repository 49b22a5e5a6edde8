package io.dtstream.dashboard;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the results topic on its own thread, from the messages of the last {@code readBack} on,
 * and keeps reading through broker restarts. Partitions are assigned, not subscribed: every
 * dashboard reads everything, so a consumer group would only add rebalances and commits. The
 * periodic look-up of the topic's partitions doubles as the probe of whether Kafka is reachable.
 */
final class ResultsConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResultsConsumer.class);
  private static final Duration CHECK_EVERY = Duration.ofSeconds(2);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration POLL = Duration.ofMillis(500);

  /** What the page and /api/health say about Kafka. {@code lag} is null while unknown. */
  record KafkaStatus(
      String bootstrapServers, String topic, boolean connected, String problem, int partitions, Long lag) {}

  private final String bootstrapServers;
  private final Map<String, Object> clientConfig;
  private final String topic;
  private final Duration readBack;
  private final ResultsIngest ingest;
  private final Runnable beforeReading;
  private final Thread thread;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private volatile KafkaConsumer<String, String> consumer;
  private volatile KafkaStatus status;

  /** @param beforeReading done once, before the first window is read (tried again until it succeeds) */
  ResultsConsumer(String bootstrapServers, Map<String, Object> clientConfig, String topic, Duration readBack,
      ResultsIngest ingest, Runnable beforeReading) {
    this.bootstrapServers = bootstrapServers;
    this.clientConfig = clientConfig;
    this.topic = topic;
    this.readBack = readBack;
    this.ingest = ingest;
    this.beforeReading = beforeReading;
    this.status = new KafkaStatus(bootstrapServers, topic, false, "connecting", 0, null);
    this.thread = new Thread(this::run, "results-consumer");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  KafkaStatus status() {
    return status;
  }

  private void run() {
    try {
      prepare();
    } catch (InterruptedException e) {
      return;
    }
    try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(config(), new StringDeserializer(), new StringDeserializer())) {
      consumer = kafka;
      long nextCheck = System.nanoTime();
      while (stopping.getCount() > 0) {
        try {
          if (System.nanoTime() - nextCheck >= 0) {
            checkPartitions(kafka);
            nextCheck = System.nanoTime() + CHECK_EVERY.toNanos();
          }
          if (kafka.assignment().isEmpty()) {
            stopping.await(POLL.toMillis(), TimeUnit.MILLISECONDS);
          } else {
            read(kafka);
          }
        } catch (WakeupException e) {
          throw e;
        } catch (RuntimeException e) {
          // Whatever went wrong, the page should keep showing the windows that do arrive.
          LOG.warn("reading {} failed, trying again: {}", topic, e.toString());
          report(status.connected(), "reading " + topic + " failed: " + e.getMessage());
          stopping.await(CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
        }
      }
    } catch (WakeupException | InterruptedException e) {
      // stopping
    }
  }

  private void prepare() throws InterruptedException {
    while (stopping.getCount() > 0) {
      try {
        beforeReading.run();
        return;
      } catch (RuntimeException e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
          cause = cause.getCause();
        }
        report(false, "Kafka is not reachable at " + bootstrapServers + " (" + cause.getMessage() + ")");
        stopping.await(CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private void read(KafkaConsumer<String, String> kafka) {
    for (ConsumerRecord<String, String> record : kafka.poll(POLL)) {
      ingest.accept(record.key(), record.value(), record.timestamp(),
          record.topic() + "-" + record.partition() + "@" + record.offset());
    }
    status = new KafkaStatus(bootstrapServers, topic, status.connected(), status.problem(), kafka.assignment().size(), lag(kafka));
  }

  /** Looks the topic's partitions up (the reachability probe) and starts reading new ones. */
  private void checkPartitions(KafkaConsumer<String, String> kafka) {
    try {
      // listTopics always asks the broker; partitionsFor would answer from its cache.
      List<PartitionInfo> partitions = kafka.listTopics(REQUEST_TIMEOUT).get(topic);
      if (partitions == null || partitions.isEmpty()) {
        report(true, "topic " + topic + " does not exist yet");
        return;
      }
      Set<TopicPartition> added = new HashSet<>();
      for (PartitionInfo partition : partitions) {
        added.add(new TopicPartition(topic, partition.partition()));
      }
      added.removeAll(kafka.assignment());
      if (!added.isEmpty()) {
        Map<TopicPartition, Long> startOffsets = recentOffsets(kafka, added);
        Set<TopicPartition> all = new HashSet<>(kafka.assignment());
        all.addAll(added);
        kafka.assign(all);
        startOffsets.forEach(kafka::seek);
        LOG.info("reading {} partition(s) of {} from the windows of the last {} min", added.size(), topic, readBack.toMinutes());
      }
      report(true, null);
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      report(false, "Kafka is not reachable at " + bootstrapServers + " (" + e.getMessage() + ")");
    }
  }

  /** Where to start in each partition: the first message of the last {@code readBack}. */
  private Map<TopicPartition, Long> recentOffsets(KafkaConsumer<String, String> kafka, Set<TopicPartition> partitions) {
    long since = System.currentTimeMillis() - readBack.toMillis();
    Map<TopicPartition, Long> query = new HashMap<>();
    partitions.forEach(p -> query.put(p, since));
    // The ends first: a message that arrives between the two look-ups is then read, not skipped.
    Map<TopicPartition, Long> ends = kafka.endOffsets(partitions, REQUEST_TIMEOUT);
    Map<TopicPartition, OffsetAndTimestamp> found = kafka.offsetsForTimes(query, REQUEST_TIMEOUT);
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (TopicPartition partition : partitions) {
      OffsetAndTimestamp offset = found.get(partition);
      offsets.put(partition, offset != null ? offset.offset() : ends.get(partition));
    }
    return offsets;
  }

  private void report(boolean connected, String problem) {
    KafkaStatus previous = status;
    if (previous.connected() != connected || !java.util.Objects.equals(previous.problem(), problem)) {
      if (problem == null) {
        LOG.info("Kafka reachable at {}, topic {}", bootstrapServers, topic);
      } else {
        LOG.warn(problem);
      }
    }
    status = new KafkaStatus(bootstrapServers, topic, connected, problem, previous.partitions(), previous.lag());
  }

  private static Long lag(KafkaConsumer<String, String> kafka) {
    long total = 0;
    for (TopicPartition partition : kafka.assignment()) {
      var lag = kafka.currentLag(partition);
      if (lag.isEmpty()) {
        return null;
      }
      total += lag.getAsLong();
    }
    return total;
  }

  private Properties config() {
    Properties config = new Properties();
    config.putAll(clientConfig);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // A broker that lost its data (positions past the end): read what it has now.
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "dtstream-dashboard");
    // Retry a lost broker at least every 2 s, so the page shows new windows soon after it is back.
    config.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 2_000);
    return config;
  }

  @Override
  public void close() {
    stopping.countDown();
    KafkaConsumer<String, String> kafka = consumer;
    if (kafka != null) {
      kafka.wakeup();
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
