package io.dtstream.injector;

import io.dtstream.runners.kafka.LocalKafka;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dtstream inject}: replays rows into a Kafka topic at a steady rate, as the DAQ would
 * write them. Lines go as they are (judging them is the pipeline's job); header lines are skipped.
 */
@Command(
    name = "dtstream inject",
    mixinStandardHelpOptions = true,
    description = "Replays a dataset (files, or sim: for the detector simulation) into Kafka.")
public final class Inject implements Callable<Integer> {
  @Option(names = "--source", required = true,
      description = "A file, folder or glob of CSV files, or sim:[seed=N,rate=HZ,noise=HZ,malformed=F].")
  String source;

  @Option(names = "--rate", description = "Rows per second, or max (default: ${DEFAULT-VALUE}).")
  String rate = "1000";

  @Option(names = "--rowsPerMessage", description = "Rows packed per Kafka record, newline-separated (default: ${DEFAULT-VALUE}).")
  int rowsPerMessage = 1;

  @Option(names = "--topic", description = "Topic to write (default: ${DEFAULT-VALUE}).")
  String topic = "data_raw";

  @Option(names = "--partitions", description = "Partitions of the topic if it has to be created (default: ${DEFAULT-VALUE}).")
  int partitions = 4;

  @Option(names = "--bootstrapServers", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrapServers = "127.0.0.1:9092";

  @Option(names = "--limit", description = "Stop after this many rows (default: the whole source).")
  long limit = Long.MAX_VALUE;

  @Option(names = "--loop", description = "Start the source again at its end.")
  boolean loop;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Inject()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    double rowsPerSecond = parseRate();
    if (rowsPerMessage < 1) {
      throw new CommandLine.ParameterException(new CommandLine(this), "--rowsPerMessage must be at least 1");
    }
    RowSource rows = RowSource.open(source, loop);
    try {
      LocalKafka.ensureTopics(bootstrapServers, Map.of(topic, partitions));
    } catch (IllegalStateException e) {
      System.err.println("dtstream inject: Kafka is not reachable at " + bootstrapServers + " (" + e.getMessage() + ")");
      return 1;
    }
    Report report = send(rows, rowsPerSecond);
    System.out.println(report.summary());
    return report.failure.get() == null ? 0 : 1;
  }

  private double parseRate() {
    if (rate.equals("max")) {
      return Double.POSITIVE_INFINITY;
    }
    try {
      double value = Double.parseDouble(rate);
      if (value > 0 && Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new CommandLine.ParameterException(
        new CommandLine(this), "--rate must be a positive number of rows per second or max, got '" + rate + "'");
  }

  /** Counts of one run, updated by the producer's callbacks. */
  static final class Report {
    final long startNanos = System.nanoTime();
    final AtomicLong rowsRead = new AtomicLong();
    final AtomicLong rowsSent = new AtomicLong();
    final AtomicReference<Exception> failure = new AtomicReference<>();

    double elapsedSeconds() {
      return (System.nanoTime() - startNanos) / 1e9;
    }

    String summary() {
      double elapsed = elapsedSeconds();
      return String.format(
          java.util.Locale.ROOT,
          "rowsRead=%d rowsSent=%d elapsedSeconds=%.1f rowsPerSecond=%.0f%s",
          rowsRead.get(),
          rowsSent.get(),
          elapsed,
          rowsSent.get() / Math.max(elapsed, 1e-9),
          failure.get() == null ? "" : " error=" + failure.get().getMessage());
    }
  }

  Report send(Iterator<String> rows, double rowsPerSecond) {
    Report report = new Report();
    long startMillis = System.currentTimeMillis();
    long nextProgress = System.nanoTime() + 5_000_000_000L;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
      StringBuilder message = new StringBuilder();
      int packed = 0;
      while (report.rowsRead.get() < limit && rows.hasNext() && report.failure.get() == null) {
        long index = report.rowsRead.getAndIncrement();
        if (packed > 0) {
          message.append('\n');
        }
        message.append(rows.next());
        packed++;
        boolean last = report.rowsRead.get() >= limit || !rows.hasNext();
        if (packed < rowsPerMessage && !last) {
          continue;
        }
        // The acquisition time of the message's first row, on the schedule of a steady DAQ.
        double dueSeconds = Double.isInfinite(rowsPerSecond) ? 0 : (index - packed + 1) / rowsPerSecond;
        long timestamp = Double.isInfinite(rowsPerSecond) ? System.currentTimeMillis() : startMillis + (long) (dueSeconds * 1000);
        waitUntil(report.startNanos + (long) (dueSeconds * 1e9));
        int count = packed;
        producer.send(
            new ProducerRecord<>(topic, null, timestamp, null, message.toString()),
            (metadata, error) -> {
              if (error != null) {
                report.failure.compareAndSet(null, error);
              } else {
                report.rowsSent.addAndGet(count);
              }
            });
        message.setLength(0);
        packed = 0;
        if (System.nanoTime() > nextProgress) {
          System.err.println("dtstream inject: " + report.summary());
          nextProgress += 5_000_000_000L;
        }
      }
      producer.flush();
    }
    return report;
  }

  private Properties producerConfig() {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Flush every 5 ms or 128 kB, like a DAQ block.
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 131_072);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return config;
  }

  private static void waitUntil(long dueNanos) {
    long wait = dueNanos - System.nanoTime();
    if (wait > 1_000_000) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
