package io.dtstream.runners.bench;

import io.dtstream.contract.results.ResultMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a results topic as every reader must: the latest message per key (window start) holds
 * the window's numbers. Also keeps when each window was first emitted, for its delay.
 */
final class ResultsReader implements AutoCloseable {
  /** A window as last seen; {@code firstEmittedMillis} is its first message's timestamp. */
  record Window(
      long startMillis, long endMillis, long hits, long lateRows, long firstEmittedMillis, long lastEmittedMillis) {
    double delaySeconds() {
      return (firstEmittedMillis - endMillis) / 1000.0;
    }
  }

  private final KafkaConsumer<String, String> consumer;
  private final Map<String, Window> windows = new HashMap<>();
  private long totalHits;
  private long malformedMessages;
  private final long windowsBeforeMillis;

  ResultsReader(String bootstrapServers, String topic) {
    this(bootstrapServers, topic, Long.MAX_VALUE);
  }

  /** Reads only the windows starting before {@code windowsBeforeMillis}. */
  ResultsReader(String bootstrapServers, String topic, long windowsBeforeMillis) {
    this.windowsBeforeMillis = windowsBeforeMillis;
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-results-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    consumer.subscribe(List.of(topic));
  }

  /** Reads what has arrived within {@code timeout}. */
  void poll(Duration timeout) {
    for (ConsumerRecord<String, String> record : consumer.poll(timeout)) {
      ResultMessage message;
      try {
        message = ResultMessage.fromJson(record.value());
      } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
        malformedMessages++;
        continue;
      }
      long start = Instant.parse(message.window().start()).toEpochMilli();
      long end = Instant.parse(message.window().end()).toEpochMilli();
      if (start >= windowsBeforeMillis) {
        continue;
      }
      Window previous = windows.get(record.key());
      long first = previous == null ? record.timestamp() : previous.firstEmittedMillis();
      Window latest =
          new Window(start, end, message.counts().hits(), message.counts().late(), first, record.timestamp());
      totalHits += latest.hits() - (previous == null ? 0 : previous.hits());
      windows.put(record.key(), latest);
    }
  }

  long totalHits() {
    return totalHits;
  }

  /** Rows that came after their window had fired, in the windows' latest messages. */
  long lateRows() {
    return windows.values().stream().mapToLong(Window::lateRows).sum();
  }

  long malformedMessages() {
    return malformedMessages;
  }

  Collection<Window> windows() {
    return windows.values();
  }

  /** When the last window's numbers became final (the latest emission of any window). */
  long lastEmittedMillis() {
    return windows.values().stream().mapToLong(Window::lastEmittedMillis).max().orElse(0);
  }

  @Override
  public void close() {
    consumer.close();
  }
}
