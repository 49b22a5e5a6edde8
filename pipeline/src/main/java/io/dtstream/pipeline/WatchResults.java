package io.dtstream.pipeline;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.contract.kafka.KafkaClientConfig;
import io.dtstream.contract.kafka.SecurityMismatch;
import io.dtstream.contract.kafka.Topics;
import io.dtstream.contract.results.ResultMessage;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
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
  public Integer call() throws InterruptedException {
    try {
      KafkaClientConfig.load(kafkaConfig);
    } catch (IllegalArgumentException e) {
      throw new CommandKit.UsageError(e.getMessage());
    }
    try {
      watch(System.out, () -> true);
    } catch (KafkaException e) {
      Optional<SecurityMismatch> mismatch =
          SecurityMismatch.of(bootstrapServers, KafkaClientConfig.load(kafkaConfig).consumer(), e);
      if (mismatch.isEmpty()) {
        throw e;
      }
      System.err.println("dtstream watch: " + mismatch.get().getMessage());
      return CommandKit.FAILURE;
    }
    return 0;
  }

  /**
   * Prints a line per message while {@code keepGoing} says so. It reads the topic's partitions
   * itself, with no consumer group: nothing is left behind on the broker (no group, no committed
   * offsets), whoever watches and however often.
   */
  void watch(PrintStream out, BooleanSupplier keepGoing) throws InterruptedException {
    Properties config = new Properties();
    config.putAll(KafkaClientConfig.load(kafkaConfig).consumer());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = partitions(consumer, out, keepGoing);
      consumer.assign(partitions);
      if (fromBeginning) {
        consumer.seekToBeginning(partitions);
      } else {
        consumer.seekToEnd(partitions);
      }
      out.println("window start (UTC)         delay  rows   hits  ch0/ch1/ch2/ch3         scint  malformed late");
      while (keepGoing.getAsBoolean()) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) {
          out.println(line(record));
        }
      }
    }
  }

  /** The topic's partitions, once it exists (saying once that it waits). */
  private List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, PrintStream out, BooleanSupplier keepGoing)
      throws InterruptedException {
    boolean said = false;
    while (keepGoing.getAsBoolean()) {
      List<PartitionInfo> found = consumer.listTopics(Duration.ofSeconds(10)).get(topic);
      if (found != null && !found.isEmpty()) {
        return found.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      }
      if (!said) {
        out.println("(waiting for the topic " + topic + " on " + bootstrapServers + ")");
        said = true;
      }
      Thread.sleep(1_000);
    }
    return List.of();
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
      // one line per message, whatever the reason says (Jackson's spans lines)
      String reason = String.valueOf(e.getMessage()).replaceAll("\\s+", " ");
      return "(not a results message: " + (reason.length() > 100 ? reason.substring(0, 97) + "..." : reason) + ")";
    }
  }
}
