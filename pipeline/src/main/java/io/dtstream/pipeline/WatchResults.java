package io.dtstream.pipeline;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.contract.kafka.KafkaClientConfig;
import io.dtstream.contract.kafka.Topics;
import io.dtstream.contract.results.ResultMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dtstream watch}: one line per results message, for a terminal. */
@Command(
    name = "dtstream watch",
    mixinStandardHelpOptions = true,
    description = "Prints one line per window as results arrive on the results topic.")
public final class WatchResults implements Callable<Integer> {
  @Option(names = "--bootstrapServers", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrapServers = "127.0.0.1:9092";

  @Option(names = "--inputTopic", description = "The results topic it reads (default: ${DEFAULT-VALUE}).")
  String topic = Topics.RESULTS;

  @Option(names = "--kafkaConfig",
      description = "A properties file of Kafka client settings (security, tuning); keys prefixed"
          + " consumer. apply to the consumer only.")
  String kafkaConfig = "";

  @Option(names = "--fromBeginning", description = "Show the windows already on the topic too.")
  boolean fromBeginning;

  /** Old option names, still taken. */
  static final Map<String, String> RENAMED = Map.of("--topic", "--inputTopic");

  public static void main(String[] args) {
    System.exit(CommandKit.execute("dtstream watch", new WatchResults(), args, RENAMED));
  }

  @Override
  public Integer call() {
    Properties config = new Properties();
    try {
      config.putAll(KafkaClientConfig.load(kafkaConfig).consumer());
    } catch (IllegalArgumentException e) {
      throw new CommandKit.UsageError(e.getMessage());
    }
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "dtstream-watch-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      System.out.println("window start (UTC)         delay  rows   hits  ch0/ch1/ch2/ch3         scint  malformed late");
      while (true) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
          System.out.println(line(record));
        }
      }
    }
  }

  static String line(ConsumerRecord<String, String> record) {
    try {
      ResultMessage m = ResultMessage.fromJson(record.value());
      double delay =
          (record.timestamp() - Instant.parse(m.window().end()).toEpochMilli()) / 1000.0;
      return String.format(
          Locale.ROOT,
          "%-26s %5.1fs %6d %6d  %5d/%5d/%5d/%5d %6d %6d %6d",
          m.window().start(),
          delay,
          m.counts().rows(),
          m.counts().hits(),
          m.chambers().get(0).hits(),
          m.chambers().get(1).hits(),
          m.chambers().get(2).hits(),
          m.chambers().get(3).hits(),
          m.counts().scintillator(),
          m.counts().malformed(),
          m.counts().late());
    } catch (Exception e) {
      return "(not a results message: " + e.getMessage() + ")";
    }
  }
}
