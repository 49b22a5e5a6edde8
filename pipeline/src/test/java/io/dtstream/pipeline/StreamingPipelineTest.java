package io.dtstream.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.dtstream.contract.kafka.Topics;
import io.dtstream.local.LocalKafka;
import io.dtstream.pipeline.stats.DetectorStats;
import io.dtstream.pipeline.testing.EndToEnd;
import io.dtstream.pipeline.transforms.FormatResults;
import io.dtstream.testing.HostileLines;
import io.dtstream.testing.RowGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine;

/**
 * The streaming pipeline through a real broker, on the DirectRunner and on Spark local[2], and
 * under 100,000 hostile lines.
 */
public class StreamingPipelineTest {
  @ClassRule public static final TemporaryFolder TEMP = new TemporaryFolder();
  private static LocalKafka kafka;

  @BeforeClass
  public static void startBroker() throws Exception {
    kafka = LocalKafka.startForTest(TEMP.newFolder("kafka").toPath());
  }

  @AfterClass
  public static void stopBroker() {
    kafka.stop();
  }

  /**
   * {@code watch}: a line per message (one not a results message says so), read with no
   * consumer group, so the broker holds no group afterwards.
   */
  @Test
  public void watchPrintsEachMessageAndLeavesNoGroupBehind() throws Exception {
    String topic = "watched";
    Topics.ensure(kafka.bootstrapServers(), Map.of(topic, 2));
    String window = FormatResults.message(new DetectorStats(), 0, 5_000, "detector").toJson();
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "1970-01-01T00:00:00Z", window)).get();
      producer.send(new ProducerRecord<>(topic, "x", "not json")).get();
    }
    List<String> groupsBefore = consumerGroups();
    WatchResults watch = new WatchResults();
    new CommandLine(watch).parseArgs("--bootstrapServers=" + kafka.bootstrapServers(), "--inputTopic=" + topic, "--fromBeginning");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    Instant deadline = Instant.now().plusSeconds(30);
    watch.watch(out, () -> printed.toString(StandardCharsets.UTF_8).lines().count() < 3
        && Instant.now().isBefore(deadline));
    List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(lines.toString(), 3, lines.size());
    assertTrue(lines.get(0), lines.get(0).startsWith("window start (UTC)"));
    assertTrue(lines.toString(), lines.stream().anyMatch(l -> l.startsWith("1970-01-01T00:00:00Z ")));
    assertTrue(lines.toString(), lines.stream().anyMatch(l -> l.startsWith("(not a results message: ")));
    assertEquals("no group of its own (other tests' readers may have theirs)", groupsBefore, consumerGroups());
  }

  private static List<String> consumerGroups() throws Exception {
    try (var admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      return admin.listConsumerGroups().all().get().stream().map(g -> g.groupId()).sorted().toList();
    }
  }

  @Test
  public void directRunnerCountsEveryRow() throws Exception {
    EndToEnd.runAndCompare(kafka, "--runner=DirectRunner");
  }

  @Test
  public void sparkRunnerCountsEveryRow() throws Exception {
    EndToEnd.runAndCompare(
        kafka,
        "--runner=SparkRunner",
        "--sparkMaster=local[2]",
        // windows expire within the run: Spark then fires empty panes, which must not replace
        // the windows' real messages
        "--allowedLatenessSeconds=4",
        "--checkpointDir=" + TEMP.newFolder().getAbsolutePath());
  }

  /**
   * A partition whose rows arrive after the other partitions' windows have all been emitted: the
   * SparkRunner takes the highest watermark of the partitions, so its rows are late; none is lost.
   */
  @Test
  public void sparkRunnerLosesNothingWhenAPartitionLagsFarBehind() throws Exception {
    EndToEnd.runAndCompareWithLaggingPartition(
        kafka,
        RowGenerator.generate(31, 4_000, 12),
        "--runner=SparkRunner",
        "--sparkMaster=local[2]",
        "--checkpointDir=" + TEMP.newFolder().getAbsolutePath());
  }

  /**
   * Ancillary rows as the real files have them (README, "The results message"): among the hits,
   * but with ORBIT_CNT values 10-30 s ahead of them, and HEAD 3 words with BX_COUNTER above 3563.
   * Each counts in the window of its own time, so windows past the last hit hold only ancillary
   * rows; they are emitted once the input is idle, and every row is counted once.
   */
  @Test
  public void ancillaryRowsAheadOfTheHitsAroundThemAreCountedToo() throws Exception {
    EndToEnd.runAndCompareInGivenOrder(kafka, ancillaryAhead(RowGenerator.generate(23, 6_000, 12)), "--runner=DirectRunner");
  }

  /** The rows in time order, each ancillary row's ORBIT_CNT moved 10-30 s ahead of where it sits. */
  static List<String> ancillaryAhead(List<String> rows) {
    java.util.Random random = new java.util.Random(5);
    List<String> lines = new java.util.ArrayList<>();
    for (String line : EndToEnd.inDetectorTimeOrder(rows)) {
      String[] f = line.split(",", -1);
      boolean ancillary =
          f.length == 6 && f[0].matches("[0-9]") && !f[0].equals("2") && f[3].matches("[0-9]+");
      if (ancillary) {
        f[3] = Long.toString(Long.parseLong(f[3]) + 11_223L * (10 + random.nextInt(21)));
        if (f[0].equals("3")) {
          f[4] = Integer.toString(3_564 + random.nextInt(62_000));
        }
        line = String.join(",", f);
      }
      lines.add(line);
    }
    return lines;
  }

  /**
   * Hostile lines, the shared generator's for a stream (odd but valid rows, malformed ones of every
   * kind, garbage, huge, blank and header lines): nothing escapes, every row is counted as the
   * independent re-implementation counts it, and every malformed one reaches the dead-letter topic
   * once.
   */
  @Test
  public void hostileLinesAreCountedOrDeadLettered() throws Exception {
    EndToEnd.runAndCompare(kafka, HostileLines.stream(11, 100_000), "--runner=DirectRunner");
  }
}
