package io.dtstream.injector;

import io.dtstream.contract.model.Hit;
import io.dtstream.contract.model.Malformed;
import io.dtstream.contract.model.ParsedRow;
import io.dtstream.contract.model.RowParser;
import io.dtstream.contract.kafka.KafkaClientConfig;
import io.dtstream.contract.kafka.SecurityMismatch;
import io.dtstream.contract.cli.CommandKit;
import io.dtstream.contract.kafka.Topics;
import io.dtstream.contract.metrics.MetricsEndpoint;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
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
    description = "Replays a dataset (S3 objects, files, or sim: for the detector simulation) into Kafka.")
public final class Inject implements Callable<Integer> {
  @Option(names = "--source", required = true,
      description = "s3://bucket/prefix (every object under it), a file, folder or glob of CSV files"
          + " (.gz/.bz2/.zst read as such), or sim:[seed=N,rate=HZ,noise=HZ,malformed=F].")
  String source;

  @Option(names = "--rate", description = "Rows per second, or max (default: ${DEFAULT-VALUE}).")
  String rate = "1000";

  @Option(names = "--rowsPerMessage", description = "Rows packed per Kafka record, newline-separated (default: ${DEFAULT-VALUE}).")
  int rowsPerMessage = 1;

  @Option(names = "--outputTopic", description = "Topic to write, the pipeline's input (default: ${DEFAULT-VALUE}).")
  String topic = Topics.RAW;

  @Option(names = "--partitions", description = "Partitions of the topic if it has to be created (default: ${DEFAULT-VALUE}).")
  int partitions = Topics.RAW_PARTITIONS;

  @Option(names = "--bootstrapServers", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrapServers = "127.0.0.1:9092";

  @Option(names = "--kafkaConfig",
      description = "A properties file of Kafka client settings (security, tuning); keys prefixed"
          + " producer. or admin. apply to that client only.")
  String kafkaConfig = "";

  @Option(names = "--connectTimeoutSeconds",
      description = "How long to retry reaching Kafka before giving up (default: ${DEFAULT-VALUE}).")
  int connectTimeoutSeconds = 30;

  @Option(names = "--limit", description = "Stop after this many rows (default: the whole source).")
  long limit = Long.MAX_VALUE;

  @Option(names = "--loop", description = "Start the source again at its end.")
  boolean loop;

  @Option(names = "--s3Endpoint",
      description = "An S3-compatible server, e.g. http://127.0.0.1:9090 (default: AWS itself).")
  URI s3Endpoint;

  @Option(names = "--s3Region",
      description = "The S3 region (default: $AWS_REGION, else ${DEFAULT-VALUE}).")
  String s3Region = System.getenv().getOrDefault("AWS_REGION", "us-east-1");

  @Option(names = "--s3PathStyleAccess", arity = "1",
      description = "Address buckets as http://host/bucket (default: true with --s3Endpoint, else false).")
  Boolean s3PathStyleAccess;

  @Option(names = "--s3NoSignRequest",
      description = "Send S3 requests unsigned, without credentials (public buckets, dtstream s3).")
  boolean s3NoSignRequest;

  @Option(names = "--metricsPort",
      description = "Serve the injector's meters (rows sent, malformed, current rate) at http://HOST:PORT/metrics for Prometheus (default: off).")
  Integer metricsPort;

  @Option(names = "--progress", arity = "1",
      description = "bar (a progress bar), log (a line every 5 s) or auto: bar on a terminal (default: ${DEFAULT-VALUE}).")
  String progress = "auto";

  /** Old option names, still taken. */
  static final Map<String, String> RENAMED = Map.of("--topic", "--outputTopic");

  public static void main(String[] args) {
    System.exit(CommandKit.execute("dtstream inject", new Inject(), args, RENAMED));
  }

  @Override
  public Integer call() {
    double rowsPerSecond = parseRate();
    if (rowsPerMessage < 1) {
      throw usageError("--rowsPerMessage must be at least 1");
    }
    if (limit < 0) {
      throw usageError("--limit must not be negative");
    }
    if (!progress.matches("auto|bar|log")) {
      throw usageError("--progress must be auto, bar or log");
    }
    if (MetricsEndpoint.portProblem(metricsPort) != null) {
      throw usageError(MetricsEndpoint.portProblem(metricsPort));
    }
    ObjectStore store =
        new ObjectStore(
            s3Endpoint, s3Region, s3PathStyleAccess != null ? s3PathStyleAccess : s3Endpoint != null, s3NoSignRequest);
    RowSource rows;
    try {
      rows = RowSource.open(source, loop, store);
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    } catch (RowSource.UnreadableSource e) {
      return fail(e.getMessage());
    }
    KafkaClientConfig clientConfig;
    try {
      clientConfig = KafkaClientConfig.load(kafkaConfig);
    } catch (IllegalArgumentException e) {
      throw usageError(e.getMessage());
    }
    try {
      Topics.ensure(
          bootstrapServers,
          clientConfig.admin(),
          List.of(Topics.Spec.of(topic, partitions)),
          Duration.ofSeconds(connectTimeoutSeconds));
    } catch (SecurityMismatch e) {
      return fail(e.getMessage());
    } catch (IllegalStateException e) {
      return fail("Kafka is not reachable at " + bootstrapServers + " (gave up after " + connectTimeoutSeconds + " s)");
    }
    MetricsEndpoint metrics;
    try {
      metrics = metricsPort == null ? null : MetricsEndpoint.start(metricsPort);
    } catch (UncheckedIOException e) {
      return fail(e.getMessage());
    }
    Report report = new Report();
    try (metrics) {
      if (metrics != null) {
        report.register(metrics.registry());
        System.err.println("dtstream inject: " + metrics.describe());
      }
      replay(rows, rowsPerSecond, progress, report);
    } finally {
      report.recentRate.close();
    }
    System.out.println(report.summary());
    Exception failure = report.failure.get();
    if (failure != null) {
      return fail(failure.getMessage() + "; " + report.rowsSent() + " rows sent before the error");
    }
    return 0;
  }

  private static int fail(String message) {
    System.err.println("dtstream inject: " + message);
    return 1;
  }

  private CommandLine.ParameterException usageError(String message) {
    return new CommandLine.ParameterException(new CommandLine(this), message);
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
    throw usageError("--rate must be a positive number of rows per second or max, got '" + rate + "'");
  }

  /** An injector into {@code topic}, for programs (the benchmarks); progress as log lines. */
  public static Inject into(String bootstrapServers, String topic, int rowsPerMessage, long limit) {
    Inject inject = new Inject();
    inject.bootstrapServers = bootstrapServers;
    inject.topic = topic;
    inject.rowsPerMessage = rowsPerMessage;
    inject.limit = limit;
    return inject;
  }

  /** Replays a source (see --source) at {@code rowsPerSecond} into an existing topic. */
  public Report replay(String source, double rowsPerSecond) {
    return replay(RowSource.open(source, false, null), rowsPerSecond, "log");
  }

  /** Counts of one run, updated by the sending loop and the producer's callbacks. */
  public static final class Report {
    final long startNanos = System.nanoTime();
    final AtomicLong rowsRead = new AtomicLong();
    final AtomicLong rowsSent = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    final AtomicReference<Exception> failure = new AtomicReference<>();

    public long rowsSent() {
      return rowsSent.get();
    }

    double elapsedSeconds() {
      return (System.nanoTime() - startNanos) / 1e9;
    }

    double rowsPerSecond() {
      return rowsSent.get() / Math.max(elapsedSeconds(), 1e-9);
    }

    /** Rows sent per second over the last few seconds: the rate a scrape sees now. */
    private final RecentRate recentRate = new RecentRate(rowsSent::get);

    /** The meters of {@code --metricsPort}, read from the counts when scraped. */
    void register(MeterRegistry registry) {
      FunctionCounter.builder("dtstream.injector.rows.read", rowsRead, AtomicLong::get)
          .description("Rows read from the source").register(registry);
      FunctionCounter.builder("dtstream.injector.rows.sent", rowsSent, AtomicLong::get)
          .description("Rows sent to Kafka and acknowledged").register(registry);
      FunctionCounter.builder("dtstream.injector.malformed.rows", malformed, AtomicLong::get)
          .description("Rows read that the parsing rules call malformed (sent all the same)").register(registry);
      Gauge.builder("dtstream.injector.rate", recentRate, RecentRate::perSecond)
          .description("Rows sent per second over the last " + RecentRate.SECONDS + " seconds")
          .baseUnit("rows.per.second").register(registry);
      recentRate.start();
    }

    public String summary() {
      return String.format(
          Locale.ROOT,
          "rowsRead=%d rowsSent=%d malformed=%d elapsedSeconds=%.1f rowsPerSecond=%.0f%s",
          rowsRead.get(),
          rowsSent.get(),
          malformed.get(),
          elapsedSeconds(),
          rowsPerSecond(),
          failure.get() == null ? "" : " error=" + failure.get().getMessage());
    }
  }

  Report replay(RowSource rows, double rowsPerSecond, String progressMode) {
    return replay(rows, rowsPerSecond, progressMode, new Report());
  }

  /** Sends the rows at the given rate into {@code report}, showing progress ({@code auto}, {@code bar} or {@code log}). */
  private Report replay(RowSource rows, double rowsPerSecond, String progressMode, Report report) {
    try (Progress progress = Progress.start(progressMode, report, rows, limit)) {
      send(rows, rowsPerSecond, report, progress);
    } catch (RowSource.UnreadableSource e) {
      report.failure.compareAndSet(null, e);
    }
    return report;
  }

  private void send(Iterator<String> rows, double rowsPerSecond, Report report, Progress progress) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
      OrbitPartitions byOrbit;
      try {
        // Asks the broker for the topic's metadata: the schedule starts once the producer is ready.
        byOrbit = new OrbitPartitions(producer.partitionsFor(topic).size());
      } catch (KafkaException e) {
        report.failure.compareAndSet(null, e);
        return;
      }
      Message message = new Message(rowsPerSecond, report, byOrbit);
      while (report.rowsRead.get() < limit && report.failure.get() == null && hasNext(rows, report)) {
        String row = rows.next();
        long index = report.rowsRead.getAndIncrement();
        ParsedRow parsed = RowParser.parse(row);
        if (parsed instanceof Malformed) {
          report.malformed.incrementAndGet();
        }
        int bytes = RowSource.utf8Length(row);
        if (message.rows > 0 && message.bytes + 1 + bytes > RowSource.MAX_LINE_BYTES) {
          message.send(producer, progress); // no bigger than a Kafka record may be
        }
        message.add(row, bytes, index, parsed);
        if (message.rows == rowsPerMessage) {
          message.send(producer, progress);
        }
      }
      if (message.rows > 0) {
        message.send(producer, progress);
      }
      producer.flush();
    }
  }

  /** Whether there is another row; a source that fails ends the run with its error. */
  private static boolean hasNext(Iterator<String> rows, Report report) {
    try {
      return rows.hasNext();
    } catch (RowSource.UnreadableSource e) {
      report.failure.compareAndSet(null, e);
      return false;
    }
  }

  /** The rows of the next Kafka record, newline-separated. */
  private final class Message {
    private final long startMillis = System.currentTimeMillis();
    private final long startNanos = System.nanoTime();
    private final double rowsPerSecond;
    private final Report report;
    private final OrbitPartitions byOrbit;
    private final StringBuilder text = new StringBuilder();
    private long firstIndex;
    private long firstHitOrbit = OrbitPartitions.NO_ORBIT;
    int rows;
    long bytes;

    Message(double rowsPerSecond, Report report, OrbitPartitions byOrbit) {
      this.rowsPerSecond = rowsPerSecond;
      this.report = report;
      this.byOrbit = byOrbit;
    }

    void add(String row, int rowBytes, long index, ParsedRow parsed) {
      if (parsed instanceof Hit hit && firstHitOrbit == OrbitPartitions.NO_ORBIT) {
        firstHitOrbit = hit.orbit();
      }
      if (rows == 0) {
        firstIndex = index;
      } else {
        text.append('\n');
        bytes++;
      }
      text.append(row);
      bytes += rowBytes;
      rows++;
    }

    void send(KafkaProducer<String, String> producer, Progress progress) {
      // The acquisition time of the message's first row, on the schedule of a steady DAQ.
      double dueSeconds = Double.isInfinite(rowsPerSecond) ? 0 : firstIndex / rowsPerSecond;
      long timestamp = Double.isInfinite(rowsPerSecond) ? System.currentTimeMillis() : startMillis + (long) (dueSeconds * 1000);
      waitUntil(startNanos + (long) (dueSeconds * 1e9));
      int count = rows;
      producer.send(
          new ProducerRecord<>(topic, byOrbit.next(firstHitOrbit), timestamp, null, text.toString()),
          (metadata, error) -> {
            if (error != null) {
              report.failure.compareAndSet(null, error);
            } else {
              report.rowsSent.addAndGet(count);
            }
          });
      text.setLength(0);
      rows = 0;
      bytes = 0;
      firstHitOrbit = OrbitPartitions.NO_ORBIT;
      progress.update();
    }
  }

  private Properties producerConfig() {
    Properties config = new Properties();
    config.putAll(KafkaClientConfig.load(kafkaConfig).producer());
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    // Flush every 5 ms or 128 kB, like a DAQ block.
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 131_072);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, connectTimeoutSeconds * 1000L);
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
