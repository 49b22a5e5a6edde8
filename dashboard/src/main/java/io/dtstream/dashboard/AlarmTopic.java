package io.dtstream.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtstream.contract.kafka.KafkaClientConfig;
import io.dtstream.contract.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alarm topic: every transition of the journal, as JSON keyed by the alarm's id, and what a
 * restarted dashboard reads back so its journal goes on from what was published. Created, one
 * partition (the order of the transitions is the journal's), if missing.
 */
final class AlarmTopic implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AlarmTopic.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final String bootstrapServers;
  private final KafkaClientConfig clients;
  private final String topic;
  private final KafkaProducer<String, String> producer;
  /** Why the topic is not used (the broker refused it), or null while it is. */
  private volatile String refused;

  AlarmTopic(String bootstrapServers, KafkaClientConfig clients, String topic) {
    this.bootstrapServers = bootstrapServers;
    this.clients = clients;
    this.topic = topic;
    Properties config = new Properties();
    config.putAll(clients.producer());
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  /**
   * Creates the topic if it is missing and reads every transition in it, oldest first. A broker
   * that is reached but refuses the topic (not authorized, an invalid name, a creation policy)
   * gives none: the dashboard goes on without it, saying so in {@link #problem}, rather than
   * holding back the windows until someone grants it.
   *
   * @throws RuntimeException when Kafka cannot be reached (the caller tries again)
   */
  List<AlarmJournal.Alarm> readAll() {
    try {
      return read();
    } catch (RuntimeException e) {
      Throwable refusal = refusal(e);
      if (refusal == null) {
        throw e;
      }
      refused = "the broker refuses the alarm topic " + topic + " (" + refusal.getMessage()
          + "): alarms are neither published nor restored";
      LOG.warn(refused);
      return List.of();
    }
  }

  /** The broker's refusal among the causes of {@code e}, null if it is something else (unreachable, say). */
  private static Throwable refusal(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof AuthorizationException || cause instanceof InvalidTopicException
          || cause instanceof PolicyViolationException) {
        return cause;
      }
    }
    return null;
  }

  /** Why the alarm topic is not used, or null. */
  String problem() {
    return refused;
  }

  private List<AlarmJournal.Alarm> read() {
    Topics.ensure(bootstrapServers, clients.admin(), List.of(Topics.Spec.of(topic, 1)), TIMEOUT);
    Properties config = new Properties();
    config.putAll(clients.consumer());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<AlarmJournal.Alarm> alarms = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = Topics.readFromStart(consumer, topic, TIMEOUT);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
      while (partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < ends.get(p))) {
        for (ConsumerRecord<String, String> record : consumer.poll(TIMEOUT)) {
          try {
            alarms.add(JSON.readValue(record.value(), AlarmJournal.Alarm.class));
          } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warn("skipped a record of {} that is not an alarm (offset {})", topic, record.offset());
          }
        }
      }
    }
    return alarms;
  }

  void publish(AlarmJournal.Alarm alarm) {
    if (refused != null) {
      return;
    }
    try {
      producer.send(new ProducerRecord<>(topic, alarm.id(), JSON.writeValueAsString(alarm)), (metadata, error) -> {
        if (error != null) {
          LOG.warn("could not publish alarm {} {} to {}: {}", alarm.id(), alarm.state(), topic, error.getMessage());
        }
      });
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
