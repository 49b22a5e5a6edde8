package io.dtstream.runners.bench;

import io.dtstream.contract.kafka.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Some work over every record of a topic in one plain thread, timed: the references a pipeline
 * run is compared with (the Kafka ceiling, the work limit). The consumer takes its partitions
 * itself (no group to join) and reads twice, timing the second read: the first warms the JVM,
 * which on a small topic would otherwise be most of what is timed.
 */
final class TimedRead {
  /** What is done with the records of one read. */
  interface Work {
    void add(byte[] record);

    /** The rows seen so far. */
    long rows();

    /** What is left once every row is in (timed too). */
    default void finish() {}
  }

  private TimedRead() {}

  /**
   * A consumer of every partition of {@code topic}, from its beginning, with no consumer group (it
   * joins none and leaves nothing on the broker); {@code settings} adds consumer settings.
   */
  static KafkaConsumer<byte[], byte[]> wholeTopic(String bootstrapServers, String topic, Properties settings) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.putAll(settings);
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Topics.readFromStart(consumer, topic, Duration.ofSeconds(60));
    return consumer;
  }

  /** Rows/s of {@code work} over the topic's {@code rows} rows; 0 if the topic does not hold them. */
  static double rowsPerSecond(String bootstrapServers, String topic, long rows, Supplier<? extends Work> work) {
    try (KafkaConsumer<byte[], byte[]> consumer = wholeTopic(bootstrapServers, topic, new Properties())) {
      double seconds = 0;
      for (int read = 0; read < 2; read++) {
        consumer.seekToBeginning(consumer.assignment());
        long start = System.nanoTime();
        Work reader = work.get();
        Instant deadline = Instant.now().plusSeconds(300);
        while (reader.rows() < rows && Instant.now().isBefore(deadline)) {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            reader.add(record.value());
          }
        }
        if (reader.rows() < rows) {
          return 0;
        }
        reader.finish();
        seconds = (System.nanoTime() - start) / 1e9;
      }
      return rows / seconds;
    }
  }
}
