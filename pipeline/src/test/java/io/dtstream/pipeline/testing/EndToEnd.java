package io.dtstream.pipeline.testing;

import io.dtstream.contract.kafka.Topics;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtstream.pipeline.Cli;
import io.dtstream.pipeline.StreamingPipeline;
import io.dtstream.contract.results.ResultMessage;
import io.dtstream.local.LocalKafka;
import io.dtstream.contract.metrics.MetricsEndpoint;
import io.dtstream.pipeline.transforms.PipelineMeters;
import io.dtstream.testing.Comparisons;
import io.dtstream.testing.PrometheusText;
import io.dtstream.testing.ReferenceCount;
import io.dtstream.testing.RowGenerator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.beam.sdk.PipelineResult;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * End to end through a real broker: known rows (malformed ones and rows packed several per
 * record among them) in, the streaming pipeline on some runner, results and dead letters read
 * back with a plain consumer and compared with an independent count, window by window.
 */
public final class EndToEnd {
  private static final int PARTITIONS = 4;
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final ObjectMapper JSON = new ObjectMapper();

  private EndToEnd() {}

  /** Produces known rows, runs the pipeline with {@code runnerArgs}, compares every window. */
  public static void runAndCompare(LocalKafka kafka, String... runnerArgs) throws Exception {
    runAndCompare(kafka, RowGenerator.generate(7, 6_000, 12), runnerArgs);
  }

  /** As {@link #runAndCompare(LocalKafka, String...)}, with these lines (none with a line break). */
  public static void runAndCompare(LocalKafka kafka, List<String> rows, String... runnerArgs) throws Exception {
    runAndCompareInGivenOrder(kafka, inDetectorTimeOrder(rows), runnerArgs);
  }

  /** As {@link #runAndCompare(LocalKafka, List, String...)}, produced in the order given. */
  public static void runAndCompareInGivenOrder(LocalKafka kafka, List<String> lines, String... runnerArgs)
      throws Exception {
    runAndCompare(kafka, lines, (topic, output) -> produce(kafka, topic, lines), EndToEnd::inThisJvm, runnerArgs);
  }

  /**
   * One partition lags far behind the others, as when its broker or its reader stalls: every
   * orbit's rows go to one partition (keyed by orbit), the other partitions' rows are produced and
   * their windows emitted first (the SparkRunner's watermark is the highest over the partitions,
   * so all of them close), and only then the lagging partition's. Its rows are late, within the
   * allowed lateness: the windows fire again, and the latest message of each must hold every row.
   */
  public static void runAndCompareWithLaggingPartition(LocalKafka kafka, List<String> rows, String... runnerArgs)
      throws Exception {
    List<String> lines = inDetectorTimeOrder(rows);
    List<String> ahead = new ArrayList<>();
    List<String> behind = new ArrayList<>();
    for (String line : lines) {
      (partitionOf(line) == 0 ? behind : ahead).add(line);
    }
    Map<String, String> latest = runAndCompare(
        kafka,
        lines,
        (topic, output) -> {
          produceByOrbit(kafka, topic, ahead);
          ReferenceCount first = ReferenceCount.of(ahead, 5_000);
          readUntil(kafka, output, first.total.hits + first.total.ancillary);
          produceByOrbit(kafka, topic, behind);
        },
        EndToEnd::inThisJvm,
        runnerArgs);
    long late = 0;
    for (String json : latest.values()) {
      late += ResultMessage.fromJson(json).counts().late();
    }
    assertTrue("the lagging partition's rows came after their windows had fired", late > 0);
  }

  /** Produces the input once the pipeline runs; may wait on the output topic. */
  private interface Producer {
    void produce(String topic, String output) throws Exception;
  }

  /**
   * Starts the pipeline with these arguments (among them {@code --metricsPort}, where its meters
   * are scraped); closing what it returns stops it.
   */
  @FunctionalInterface
  public interface Launch {
    AutoCloseable start(List<String> args) throws Exception;
  }

  /**
   * As {@link #runAndCompare(LocalKafka, String...)}, with the pipeline started by {@code launch}
   * (spark-submit, a launcher script ...) rather than in this JVM.
   */
  public static void runAndCompareLaunched(LocalKafka kafka, Launch launch, String... runnerArgs) throws Exception {
    List<String> lines = inDetectorTimeOrder(RowGenerator.generate(7, 6_000, 12));
    runAndCompare(kafka, lines, (topic, output) -> produce(kafka, topic, lines), launch, runnerArgs);
  }

  /** The pipeline in this JVM, its meters served on the port that {@code --metricsPort} names. */
  private static AutoCloseable inThisJvm(List<String> args) throws Exception {
    StreamingPipeline.Options options =
        Cli.parse(args.toArray(String[]::new), StreamingPipeline.Options.class);
    MetricsEndpoint metrics = MetricsEndpoint.start(options.getMetricsPort());
    PipelineResult result = StreamingPipeline.start(options);
    PipelineMeters.register(result, metrics.registry());
    return () -> {
      try (metrics) {
        result.cancel();
      }
    };
  }

  /** Starts the pipeline with {@code launch}, compares every window, and returns the latest message per window. */
  private static Map<String, String> runAndCompare(
      LocalKafka kafka, List<String> lines, Producer producer, Launch launch, String... runnerArgs)
      throws Exception {
    String id = UUID.randomUUID().toString().substring(0, 8);
    String input = "raw-" + id;
    String output = "clean-" + id;
    String deadLetters = "dlq-" + id;
    Topics.ensure(kafka.bootstrapServers(), Map.of(input, PARTITIONS, output, 1, deadLetters, 1));

    ReferenceCount reference = ReferenceCount.of(lines, 5_000);

    List<String> args = new ArrayList<>(List.of(runnerArgs));
    args.addAll(
        List.of(
            "--bootstrapServers=" + kafka.bootstrapServers(),
            "--inputTopic=" + input,
            "--outputTopic=" + output,
            "--deadLetterTopic=" + deadLetters,
            "--consumerGroup=" + id,
            "--startFrom=earliest",
            "--timeDomain=detector",
            "--windowSeconds=5",
            "--idleSeconds=3"));
    int metricsPort = LocalKafka.freePorts(1)[0];
    args.add("--metricsPort=" + metricsPort);
    List<String> dlq;
    try (AutoCloseable running = launch.start(args)) {
      producer.produce(input, output);
      readUntil(kafka, output, reference.total.hits + reference.total.ancillary);
      dlq = readAll(kafka, deadLetters, reference.total.malformed);
      if (metersWhileRunning(runnerArgs)) {
        assertMetersCount(metricsPort, reference);
      }
    }
    // What a reader finds once the pipeline has stopped: the latest message per window.
    Map<String, String> latest = new TreeMap<>();
    for (String json : readAll(kafka, output, Long.MAX_VALUE)) {
      latest.put(ResultMessage.fromJson(json).window().start(), json);
    }

    List<String> deadLines = new ArrayList<>();
    for (String json : dlq) {
      deadLines.add(JSON.readTree(json).path("line").asText());
    }
    List<String> expectedDead = new ArrayList<>(reference.malformedLines);
    expectedDead.sort(null);
    deadLines.sort(null);
    assertEquals("every malformed row, once, in the dead-letter topic", expectedDead, deadLines);
    assertEquals(
        "windows",
        reference.windows.keySet().stream().map(start -> Instant.ofEpochMilli(start).toString()).toList(),
        List.copyOf(latest.keySet()));
    for (Map.Entry<Long, ReferenceCount.Totals> window : reference.windows.entrySet()) {
      String json = latest.get(Instant.ofEpochMilli(window.getKey()).toString());
      ResultsSchema.assertValid(json);
      Comparisons.assertMatches(window.getValue(), ResultMessage.fromJson(json), false);
    }
    return latest;
  }

  /**
   * Whether the runner reports the pipeline's meters to its result while the job runs. Beam's
   * FlinkRunner hands them to the result (as a Flink accumulator) only when a job ends, so a
   * running streaming job's result has none (README, "Known limits").
   */
  private static boolean metersWhileRunning(String... runnerArgs) {
    return List.of(runnerArgs).stream().noneMatch(a -> a.toLowerCase(java.util.Locale.ROOT).startsWith("--runner=flink"));
  }

  /**
   * The pipeline's meters, scraped from its endpoint as Prometheus would: the rows by kind are
   * the independent count's (the runner may report them a batch later than the results).
   */
  private static void assertMetersCount(int port, ReferenceCount reference) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build();
    Map<String, Double> expected = Map.of(
        "dtstream_pipeline_rows_total{kind=\"hit\"}", (double) reference.total.hits,
        "dtstream_pipeline_rows_total{kind=\"ancillary\"}", (double) reference.total.ancillary,
        "dtstream_pipeline_rows_total{kind=\"malformed\"}", (double) reference.total.malformed);
    Map<String, Double> metrics = Map.of();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline)) {
      metrics = PrometheusText.parse(http.send(scrape, HttpResponse.BodyHandlers.ofString()).body());
      Map<String, Double> seen = metrics;
      if (expected.keySet().stream().allMatch(name -> expected.get(name).equals(seen.get(name)))
          && seen.getOrDefault("dtstream_pipeline_windows_emitted_total", 0.0) >= reference.windows.size()) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("the meters never counted " + expected + " and " + reference.windows.size() + " windows: " + metrics);
  }

  /** Rows roughly in time order, as a DAQ writes them; lines without a time keep their place. */
  public static List<String> inDetectorTimeOrder(List<String> lines) {
    List<String> sorted = new ArrayList<>(lines);
    sorted.sort(Comparator.comparingLong(EndToEnd::orbitOrZero));
    return sorted;
  }

  private static long orbitOrZero(String line) {
    String[] fields = line.split(",");
    try {
      return fields.length == 6 ? Long.parseLong(fields[3].trim()) : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** One row per record, or packs of 2-5 rows separated by newlines, over all partitions. */
  private static void produce(LocalKafka kafka, String topic, List<String> lines) throws Exception {
    try (KafkaProducer<String, String> producer = producer(kafka)) {
      int record = 0;
      for (int i = 0; i < lines.size(); record++) {
        int pack = record % 3 == 0 ? 2 + record % 4 : 1;
        String value = String.join("\n", lines.subList(i, Math.min(lines.size(), i + pack)));
        producer.send(new ProducerRecord<>(topic, record % PARTITIONS, null, value));
        i += pack;
      }
      producer.flush();
    }
  }

  private static KafkaProducer<String, String> producer(LocalKafka kafka) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  /** The partition of a line's orbit (0 for lines without one), so an orbit never spans two. */
  private static int partitionOf(String line) {
    return (int) Math.floorMod(orbitOrZero(line), (long) PARTITIONS);
  }

  /**
   * Each orbit's rows (consecutive in detector-time order) as one record, in the partition of its
   * orbit: a micro-batch can then not end inside an orbit, which the SparkRunner's watermark (the
   * maximum over partitions) would fire half-read and close as two (README, "Guarantees").
   */
  private static void produceByOrbit(LocalKafka kafka, String topic, List<String> lines) throws Exception {
    try (KafkaProducer<String, String> producer = producer(kafka)) {
      for (int from = 0; from < lines.size(); ) {
        long orbit = orbitOrZero(lines.get(from));
        int to = from + 1;
        while (to < lines.size() && orbitOrZero(lines.get(to)) == orbit) {
          to++;
        }
        producer.send(new ProducerRecord<>(topic, partitionOf(lines.get(from)), null, String.join("\n", lines.subList(from, to))));
        from = to;
      }
      producer.flush();
    }
  }

  private static KafkaConsumer<String, String> consumer(LocalKafka kafka, String topic) {
    return consumer(kafka.bootstrapServers(), topic);
  }

  /**
   * A reader of a whole topic from its start. Its partitions are assigned, with no consumer group:
   * nothing waits on a group coordinator, which a broker killed and restarted may be slow to
   * serve again (the dashboard and {@code watch} read the same way).
   */
  public static KafkaConsumer<String, String> consumer(String bootstrapServers, String topic) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    Topics.readFromStart(consumer, topic, Duration.ofSeconds(60));
    return consumer;
  }

  /** The latest message per window key, once the windows hold {@code rows} rows (hits and ancillary). */
  private static Map<String, String> readUntil(LocalKafka kafka, String topic, long rows) throws Exception {
    Map<String, String> latest = new TreeMap<>();
    Instant deadline = Instant.now().plus(TIMEOUT);
    try (KafkaConsumer<String, String> consumer = consumer(kafka, topic)) {
      while (Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          latest.put(record.key(), record.value());
        }
        long seen = 0;
        for (String json : latest.values()) {
          seen += ResultMessage.fromJson(json).counts().rows();
        }
        if (seen >= rows) {
          return latest;
        }
      }
    }
    throw new AssertionError("windows with " + rows + " rows did not arrive in " + TIMEOUT + ": " + latest.keySet());
  }

  /** Messages of a topic from its start: {@code expected} of them, or all once it is quiet. */
  private static List<String> readAll(LocalKafka kafka, String topic, long expected) {
    List<String> messages = new ArrayList<>();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    try (KafkaConsumer<String, String> consumer = consumer(kafka, topic)) {
      int quietPolls = 0;
      while (messages.size() < expected && quietPolls < 6 && Instant.now().isBefore(deadline)) {
        int before = messages.size();
        consumer.poll(Duration.ofMillis(500)).forEach(r -> messages.add(r.value()));
        quietPolls = messages.size() == before && !messages.isEmpty() ? quietPolls + 1 : 0;
      }
      consumer.poll(Duration.ofSeconds(1)).forEach(r -> messages.add(r.value())); // no extras
    }
    return messages;
  }

}
