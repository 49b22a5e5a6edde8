package io.dtstream.injector;

import io.dtstream.contract.kafka.Topics;
import io.dtstream.contract.model.Hit;
import io.dtstream.contract.model.RowParser;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.dtstream.local.LocalKafka;
import io.dtstream.local.LocalS3;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Replays through the real S3 server into the real broker, read back with a plain consumer. */
public class InjectTest {
  static final String BUCKET = "mapd-minidt-stream";
  private static final String HEADER = "HEAD,FPGA,TDC_CHANNEL,ORBIT_CNT,BX_COUNTER,TDC_MEAS\n";

  @ClassRule public static final TemporaryFolder TEMP = new TemporaryFolder();
  private static LocalKafka kafka;
  private static LocalS3 s3;
  private static ObjectStore store;

  @BeforeClass
  public static void startServers() throws Exception {
    kafka = LocalKafka.startForTest(TEMP.newFolder("kafka").toPath());
    s3 = LocalS3.startForTest(TEMP.newFolder("s3").toPath(), BUCKET);
    // The local server takes any key; the SDK only needs to find one in a usual place.
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    store = new ObjectStore(s3.endpoint(), "us-east-1", true, false);
  }

  @AfterClass
  public static void stopServers() {
    s3.stop();
    kafka.stop();
  }

  @Test
  public void aFileArrivesExactlyOnceAndInOrderPerPartition() throws Exception {
    List<String> rows = taggedRows(0, 3_000);
    Path file = TEMP.newFile("rows.csv").toPath();
    Files.writeString(file, HEADER + String.join("\n", rows) + "\n\n");

    Inject inject = injector("file-rows");
    inject.rowsPerMessage = 7;
    Inject.Report report = inject.replay(RowSource.open(file.toString(), false, store), Double.POSITIVE_INFINITY, "log");

    assertEquals(null, report.failure.get());
    assertEquals(rows.size(), report.rowsSent.get());
    assertArrivedOnceInOrder("file-rows", rows);
  }

  @Test
  public void anS3PrefixArrivesExactlyOnceAndInOrderPerPartition() throws Exception {
    List<String> first = taggedRows(0, 2_000);
    List<String> second = taggedRows(2_000, 2_500);
    store.register();
    put("run7/data_000002.txt.gz", gzip(HEADER + String.join("\n", second) + "\n"));
    put("run7/data_000001.txt", (HEADER + String.join("\n", first) + "\n").getBytes(StandardCharsets.UTF_8));
    put("run8/data_000001.txt", (HEADER + "2,0,1,1,1,1\n").getBytes(StandardCharsets.UTF_8));

    Inject inject = injector("s3-rows");
    inject.rowsPerMessage = 10;
    Inject.Report report =
        inject.replay(RowSource.open("s3://" + BUCKET + "/run7/", false, store), Double.POSITIVE_INFINITY, "log");

    assertEquals(null, report.failure.get());
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    assertEquals(all.size(), report.rowsRead.get());
    assertArrivedOnceInOrder("s3-rows", all);
  }

  /** On a broker of its own: the others' topics are created on a broker not restarted. */
  @Test
  public void aBrokerRestartLosesAndDuplicatesNothing() throws Exception {
    List<String> rows = taggedRows(0, 16_000);
    Path file = TEMP.newFile("restart.csv").toPath();
    Files.writeString(file, String.join("\n", rows) + "\n");
    LocalKafka broker = LocalKafka.startForTest(TEMP.newFolder("restarted-kafka").toPath());
    ExecutorService injecting = Executors.newSingleThreadExecutor();
    try {
      Inject inject = injector(broker, "restart-rows");
      Future<Inject.Report> report =
          injecting.submit(() -> inject.replay(RowSource.open(file.toString(), false, store), 2_000, "log"));
      Thread.sleep(2_000);
      broker.stop(); // gracefully, as an operator restarting it would
      Thread.sleep(3_000);
      broker = broker.restart();
      Inject.Report sent = report.get(2, TimeUnit.MINUTES);

      assertEquals(null, sent.failure.get());
      assertEquals(rows.size(), sent.rowsSent());
      assertArrivedOnceInOrder(broker, "restart-rows", rows);
    } finally {
      injecting.shutdownNow();
      broker.stop();
    }
  }

  @Test
  public void keepsOneThousandRowsPerSecond() {
    assertRateKept(1_000);
  }

  @Test
  public void keepsTwentyThousandRowsPerSecond() {
    assertRateKept(20_000);
  }

  /**
   * {@code --metricsPort}, scraped while rows flow: the counts as they stand (a few malformed
   * among the simulated rows), the rate of the last seconds near the target; the endpoint is
   * gone once the run ends.
   */
  @Test
  public void theMetricsEndpointServesTheCountsAndTheCurrentRate() throws Exception {
    Inject inject = injector("metered");
    inject.source = "sim:seed=6,malformed=0.01";
    inject.rate = "2000";
    inject.limit = 16_000;
    inject.progress = "log";
    inject.metricsPort = LocalKafka.freePorts(1)[0];
    ExecutorService run = Executors.newSingleThreadExecutor();
    Future<Integer> exit = run.submit(inject::call);
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.URI url = java.net.URI.create("http://127.0.0.1:" + inject.metricsPort + "/metrics");
    Map<String, Double> metrics = Map.of();
    Instant deadline = Instant.now().plusSeconds(30);
    while (metrics.getOrDefault("dtstream_injector_rows_read_total", 0.0) < 10_000 && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      try {
        var response = http.send(java.net.http.HttpRequest.newBuilder(url).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        metrics = io.dtstream.testing.PrometheusText.parse(response.body());
      } catch (IOException e) {
        // not listening yet
      }
    }
    double read = metrics.get("dtstream_injector_rows_read_total");
    double sent = metrics.get("dtstream_injector_rows_sent_total");
    double malformed = metrics.get("dtstream_injector_malformed_rows_total");
    // One scrape samples the meters one after the other while rows flow at 2,000/s: rows sent
    // may pass rows read as they stood a moment earlier (by 7 in a clean-clone CI run).
    assertTrue(metrics.toString(), read >= 10_000 && sent <= read + 100 && sent > 0);
    assertTrue("malformed " + malformed + " of " + read, malformed > 0.004 * read && malformed < 0.02 * read);
    double rate = metrics.get("dtstream_injector_rate_rows_per_second");
    assertTrue("rate " + rate, rate > 1_600 && rate < 2_400);
    assertTrue(metrics.containsKey("jvm_threads_live_threads"));
    assertEquals(Integer.valueOf(0), exit.get(30, TimeUnit.SECONDS));
    run.shutdown();
    try {
      http.send(java.net.http.HttpRequest.newBuilder(url).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      throw new AssertionError("the metrics endpoint still answers after the run");
    } catch (IOException expected) {
      // closed with the run
    }
  }

  /** Ten seconds at the target, one row per message: the achieved rate within 5 %. */
  private static void assertRateKept(int rowsPerSecond) {
    String topic = "paced-" + rowsPerSecond;
    Inject inject = injector(topic);
    inject.limit = 10L * rowsPerSecond;
    Inject.Report report = inject.replay(RowSource.open("sim:seed=5", false, null), rowsPerSecond, "log");
    double achieved = report.rowsPerSecond();
    assertEquals(inject.limit, report.rowsSent.get());
    assertTrue("achieved " + achieved + " rows/s", Math.abs(achieved / rowsPerSecond - 1) < 0.05);
    List<ConsumerRecord<String, String>> records = readAll(topic, (int) inject.limit);
    assertEquals(inject.limit, rowsIn(records));
    assertEveryPartitionFlowsAndOrbitsStayTogether(records);
  }

  /**
   * What the pipeline's watermark (the slowest partition's) needs: every partition gets a row at
   * least every second; and each orbit's hits are in one partition.
   */
  private static void assertEveryPartitionFlowsAndOrbitsStayTogether(List<ConsumerRecord<String, String>> records) {
    Map<Integer, Long> lastTimestamp = new HashMap<>();
    Map<Long, Integer> partitionOfOrbit = new HashMap<>();
    for (ConsumerRecord<String, String> record : records) {
      Long last = lastTimestamp.put(record.partition(), record.timestamp());
      if (last != null) {
        assertTrue("partition " + record.partition() + " went " + (record.timestamp() - last) + " ms without a row",
            record.timestamp() - last < 1_000);
      }
      for (String row : record.value().split("\n", -1)) {
        if (RowParser.parse(row) instanceof Hit hit) {
          Integer before = partitionOfOrbit.putIfAbsent(hit.orbit(), record.partition());
          assertTrue("orbit " + hit.orbit() + " in partitions " + before + " and " + record.partition(),
              before == null || before == record.partition());
        }
      }
    }
    assertEquals(4, lastTimestamp.size());
  }

  static Inject injector(String topic) {
    return injector(kafka, topic);
  }

  private static Inject injector(LocalKafka broker, String topic) {
    Inject inject = new Inject();
    inject.topic = topic;
    inject.bootstrapServers = broker.bootstrapServers();
    Topics.ensure(broker.bootstrapServers(), Map.of(topic, 4));
    return inject;
  }

  /** Simulated rows (a few malformed) with a unique, increasing tag in front of each. */
  private static List<String> taggedRows(int firstTag, int endTag) {
    DetectorSimulation simulation = DetectorSimulation.fromSpec("sim:seed=" + firstTag + ",malformed=0.01");
    List<String> rows = new ArrayList<>();
    for (int tag = firstTag; tag < endTag; tag++) {
      rows.add(tag + "," + simulation.next());
    }
    return rows;
  }

  private static void put(String key, byte[] content) throws IOException {
    try (OutputStream out =
        Channels.newOutputStream(
            FileSystems.create(FileSystems.matchNewResource("s3://" + BUCKET + "/" + key, false), "text/plain"))) {
      out.write(content);
    }
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private static void assertArrivedOnceInOrder(String topic, List<String> rows) {
    assertArrivedOnceInOrder(kafka, topic, rows);
  }

  private static void assertArrivedOnceInOrder(LocalKafka broker, String topic, List<String> rows) {
    Map<Integer, List<Integer>> tagsByPartition = new HashMap<>();
    List<String> received = new ArrayList<>();
    for (ConsumerRecord<String, String> record : readAll(broker, topic, rows.size())) {
      for (String row : record.value().split("\n", -1)) {
        received.add(row);
        tagsByPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>())
            .add(Integer.parseInt(row.substring(0, row.indexOf(','))));
      }
    }
    List<String> sorted = new ArrayList<>(received);
    sorted.sort(java.util.Comparator.comparingInt(row -> Integer.parseInt(row.substring(0, row.indexOf(',')))));
    assertEquals(rows, sorted); // each row once, byte for byte
    for (List<Integer> tags : tagsByPartition.values()) {
      for (int i = 1; i < tags.size(); i++) {
        assertTrue("out of order in a partition", tags.get(i) > tags.get(i - 1));
      }
    }
  }

  private static long rowsIn(List<ConsumerRecord<String, String>> records) {
    return records.stream().mapToLong(record -> record.value().split("\n", -1).length).sum();
  }

  private static List<ConsumerRecord<String, String>> readAll(String topic, int rows) {
    return readAll(kafka, topic, rows);
  }

  private static List<ConsumerRecord<String, String>> readAll(LocalKafka broker, String topic, int rows) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    long seen = 0;
    Instant deadline = Instant.now().plusSeconds(60);
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (seen < rows && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          records.add(record);
          seen += record.value().split("\n", -1).length;
        }
      }
      consumer.poll(Duration.ofSeconds(1)).forEach(records::add); // nothing more may come
    }
    return records;
  }
}
