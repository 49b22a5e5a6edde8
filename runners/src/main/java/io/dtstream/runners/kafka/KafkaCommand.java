package io.dtstream.runners.kafka;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dtstream kafka start|stop|status}: the project's own local broker. */
@Command(
    name = "dtstream kafka",
    mixinStandardHelpOptions = true,
    description = {
      "Starts, stops or reports the local single-node KRaft Kafka broker (127.0.0.1), and creates",
      "the topics data_raw, data_clean and data_raw.dlq if they are missing."
    })
public final class KafkaCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "start, stop or status")
  private String action;

  @Option(names = "--host", description = "Address clients connect to: 127.0.0.1, or this host's address for clients on other machines (default: ${DEFAULT-VALUE}).")
  private String host = "127.0.0.1";

  @Option(names = "--port", description = "Broker port (default: ${DEFAULT-VALUE}).")
  private int port = 9092;

  @Option(names = "--controllerPort", description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
  private int controllerPort = 9093;

  @Option(names = "--dataDir", description = "Broker data folder (default: the project's work/kafka).")
  private Path dataDir = Path.of(System.getenv().getOrDefault("DTSTREAM_WORK", "work"), "kafka");

  @Option(names = "--partitions", description = "Partitions of data_raw (default: ${DEFAULT-VALUE}).")
  private int partitions = 4;

  @Option(names = "--inputTopic", description = "Raw data topic (default: ${DEFAULT-VALUE}).")
  private String inputTopic = "data_raw";

  @Option(names = "--outputTopic", description = "Results topic (default: ${DEFAULT-VALUE}).")
  private String outputTopic = "data_clean";

  @Option(names = "--deadLetterTopic", description = "Dead-letter topic (default: ${DEFAULT-VALUE}).")
  private String deadLetterTopic = "data_raw.dlq";

  public static void main(String[] args) {
    System.exit(new CommandLine(new KafkaCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Optional<LocalKafka> running = LocalKafka.running(dataDir);
    switch (action) {
      case "start" -> {
        LocalKafka kafka = running.isPresent() ? running.get() : LocalKafka.start(dataDir, host, port, controllerPort);
        LocalKafka.ensureTopics(
            kafka.bootstrapServers(),
            Map.of(inputTopic, partitions, outputTopic, 1, deadLetterTopic, 1));
        System.out.println(
            (running.isPresent() ? "already running" : "started")
                + ": bootstrapServers=" + kafka.bootstrapServers() + " pid=" + kafka.pid()
                + " dataDir=" + dataDir);
        return 0;
      }
      case "stop" -> {
        running.ifPresent(LocalKafka::stop);
        System.out.println(running.isPresent() ? "stopped" : "not running");
        return 0;
      }
      case "status" -> {
        System.out.println(
            running
                .map(k -> "running: bootstrapServers=" + k.bootstrapServers() + " pid=" + k.pid())
                .orElse("not running"));
        return running.isPresent() ? 0 : 3;
      }
      default -> {
        System.err.println("dtstream kafka: unknown action '" + action + "' (start, stop or status)");
        return 2;
      }
    }
  }
}
