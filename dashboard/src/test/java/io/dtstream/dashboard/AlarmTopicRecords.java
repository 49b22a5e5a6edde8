package io.dtstream.dashboard;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** The records of an alarm topic as a test reads them back: each keyed by its alarm's id. */
public final class AlarmTopicRecords {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AlarmTopicRecords() {}

  /** Every record of {@code topic} (one partition), once it holds at least {@code atLeast}. */
  public static List<JsonNode> read(String bootstrapServers, String topic, int atLeast, Duration patience) throws Exception {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    List<JsonNode> records = new ArrayList<>();
    try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      Instant deadline = Instant.now().plus(patience);
      while (Instant.now().isBefore(deadline)) {
        for (var record : consumer.poll(Duration.ofMillis(200))) {
          JsonNode alarm = JSON.readTree(record.value());
          assertEquals(alarm.path("id").asText(), record.key());
          records.add(alarm);
        }
        if (records.size() >= atLeast && consumer.position(partition) >= consumer.endOffsets(List.of(partition)).get(partition)) {
          return records;
        }
      }
    }
    throw new AssertionError("the alarm topic " + topic + " holds " + records.size() + " records, expected at least " + atLeast);
  }
}
