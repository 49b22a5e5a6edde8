package io.dtstream.runners;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.contract.kafka.Topics;
import io.dtstream.local.LocalKafka;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Option;

/** {@code dtstream kafka start|stop|status}: the project's own local broker. */
@Command(
    name = "dtstream kafka",
    mixinStandardHelpOptions = true,
    subcommands = {KafkaCommand.Start.class, ServerCommand.Stop.class, ServerCommand.Status.class},
    description = {
      "Starts, stops or reports the local single-node KRaft Kafka broker (127.0.0.1:9092).",
      "kafka console-consumer|console-producer ... runs Kafka's own console tools."
    })
public final class KafkaCommand extends ServerCommand {
  KafkaCommand() {
    super("kafka");
  }

  public static void main(String[] args) {
    System.exit(CommandKit.execute("dtstream kafka", new KafkaCommand(), args, RENAMED));
  }

  @Override
  Optional<LocalKafka> running(Path workDir) throws IOException {
    return LocalKafka.running(workDir);
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Starts the broker, unless it runs, and creates the topics that are missing.")
  static final class Start implements Callable<Integer> {
    @ParentCommand KafkaCommand server;

    @Option(names = "--host", description = "Address clients connect to: 127.0.0.1, or this host's address for clients on other machines (default: ${DEFAULT-VALUE}).")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "Broker port (default: ${DEFAULT-VALUE}).")
    int port = 9092;

    @Option(names = "--controllerPort", description = "KRaft controller port (default: ${DEFAULT-VALUE}).")
    int controllerPort = 9093;

    @Option(names = "--partitions", description = "Partitions of the raw topic (default: ${DEFAULT-VALUE}).")
    int partitions = Topics.RAW_PARTITIONS;

    @Option(names = "--inputTopic", description = "The raw rows' topic (default: ${DEFAULT-VALUE}).")
    String inputTopic = Topics.RAW;

    @Option(names = "--outputTopic", description = "The results topic, compacted (default: ${DEFAULT-VALUE}).")
    String outputTopic = Topics.RESULTS;

    @Option(names = "--deadLetterTopic", description = "The dead-letter topic (default: ${DEFAULT-VALUE}).")
    String deadLetterTopic = Topics.DEAD_LETTERS;

    @Option(names = "--security",
        description = "plaintext, or sasl_ssl: TLS with a CA of its own and SCRAM-SHA-512 logins; it writes the"
            + " client settings that the other commands take with --kafkaConfig (default: ${DEFAULT-VALUE}).")
    String security = "plaintext";

    @Override
    public Integer call() throws Exception {
      LocalKafka.Security asked;
      try {
        asked = LocalKafka.Security.parse(security);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
      }
      Optional<LocalKafka> running = LocalKafka.running(server.workDir);
      if (running.isPresent() && running.get().security() != asked) {
        System.err.println("dtstream kafka: the broker in " + server.workDir + " runs with --security="
            + running.get().security() + ": stop it first, or use another --workDir");
        return CommandKit.FAILURE;
      }
      LocalKafka kafka =
          running.isPresent() ? running.get() : LocalKafka.start(server.workDir, host, port, controllerPort, asked);
      Topics.ensure(
          kafka.bootstrapServers(),
          kafka.clientConfig(),
          List.of(
              Topics.Spec.of(inputTopic, partitions),
              Topics.Spec.results(outputTopic),
              Topics.Spec.of(deadLetterTopic, 1)),
          Duration.ofSeconds(30));
      System.out.println(
          (running.isPresent() ? "already running" : "started")
              + ": bootstrapServers=" + kafka.bootstrapServers() + " pid=" + kafka.pid()
              + " workDir=" + server.workDir + " security=" + kafka.security());
      kafka.clientProperties().ifPresent(file -> System.out.println(
          "client settings: " + file + " (pass --kafkaConfig=" + file + " to inject, pipeline, dashboard and watch)"));
      return CommandKit.OK;
    }
  }
}
