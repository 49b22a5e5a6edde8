package io.dtstream.runners;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.contract.cli.WorkDir;
import io.dtstream.contract.kafka.Topics;
import io.dtstream.local.LocalKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dtstream kafka start|stop|status}: the project's own local broker. */
@Command(
    name = "dtstream kafka",
    mixinStandardHelpOptions = true,
    subcommands = {KafkaCommand.Start.class, KafkaCommand.Stop.class, KafkaCommand.Status.class},
    description = {
      "Starts, stops or reports the local single-node KRaft Kafka broker (127.0.0.1:9092).",
      "kafka console-consumer|console-producer ... runs Kafka's own console tools."
    })
public final class KafkaCommand extends ServerCommand {
  public static void main(String[] args) {
    System.exit(CommandKit.execute("dtstream kafka", new KafkaCommand(), args, RENAMED));
  }

  /** The broker's folder: its data, configuration, log and pid file. */
  static final class Folder {
    @Option(names = "--workDir", description = "The broker's data and log (default: $DTSTREAM_WORK/kafka).")
    Path workDir = WorkDir.resolve("kafka");
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description = "Starts the broker, unless it runs, and creates the topics that are missing.")
  static final class Start implements Callable<Integer> {
    @Mixin Folder folder;

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

    @Override
    public Integer call() throws Exception {
      Optional<LocalKafka> running = LocalKafka.running(folder.workDir);
      LocalKafka kafka =
          running.isPresent() ? running.get() : LocalKafka.start(folder.workDir, host, port, controllerPort);
      Topics.ensure(
          kafka.bootstrapServers(),
          Map.of(),
          List.of(
              Topics.Spec.of(inputTopic, partitions),
              Topics.Spec.results(outputTopic),
              Topics.Spec.of(deadLetterTopic, 1)),
          Duration.ofSeconds(30));
      System.out.println(
          (running.isPresent() ? "already running" : "started")
              + ": bootstrapServers=" + kafka.bootstrapServers() + " pid=" + kafka.pid()
              + " workDir=" + folder.workDir);
      return CommandKit.OK;
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true, description = "Stops the broker; its data stay.")
  static final class Stop implements Callable<Integer> {
    @Mixin Folder folder;

    @Override
    public Integer call() throws Exception {
      Optional<LocalKafka> running = LocalKafka.running(folder.workDir);
      running.ifPresent(LocalKafka::stop);
      System.out.println(running.isPresent() ? "stopped" : "not running");
      return CommandKit.OK;
    }
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Says whether the broker runs (exit 0) or not (exit " + NOT_RUNNING + ").")
  static final class Status implements Callable<Integer> {
    @Mixin Folder folder;

    @Override
    public Integer call() throws Exception {
      Optional<LocalKafka> running = LocalKafka.running(folder.workDir);
      System.out.println(
          running
              .map(k -> "running: bootstrapServers=" + k.bootstrapServers() + " pid=" + k.pid())
              .orElse("not running"));
      return running.isPresent() ? CommandKit.OK : NOT_RUNNING;
    }
  }
}
