package io.dtstream.injector;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import io.dtstream.runners.kafka.LocalKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine;

public class InjectTest {
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

  @Test
  public void aFileArrivesExactlyOnceAndInOrderPerPartition() throws Exception {
    List<String> rows = new ArrayList<>();
    DetectorSimulation simulation = DetectorSimulation.fromSpec("sim:seed=3,malformed=0.01");
    for (int i = 0; i < 3_000; i++) {
      rows.add(i + "," + simulation.next()); // a unique, ordered tag in front of each row
    }
    Path file = TEMP.newFile("rows.csv").toPath();
    Files.writeString(file, "HEAD,FPGA,TDC_CHANNEL,ORBIT_CNT,BX_COUNTER,TDC_MEAS\n" + String.join("\n", rows) + "\n\n");

    int code =
        new CommandLine(new Inject())
            .execute("--source=" + file, "--topic=file-rows", "--rate=max", "--rowsPerMessage=7",
                "--bootstrapServers=" + kafka.bootstrapServers());
    assertEquals(0, code);

    Map<Integer, List<Integer>> tagsByPartition = new HashMap<>();
    List<String> received = new ArrayList<>();
    for (ConsumerRecord<String, String> record : readAll("file-rows", rows.size())) {
      for (String row : record.value().split("\n")) {
        received.add(row);
        tagsByPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>())
            .add(Integer.parseInt(row.substring(0, row.indexOf(','))));
      }
    }
    assertEquals(rows.size(), received.size());
    assertEquals(new java.util.HashSet<>(rows), new java.util.HashSet<>(received));
    for (List<Integer> tags : tagsByPartition.values()) {
      for (int i = 1; i < tags.size(); i++) {
        assertTrue("out of order in a partition", tags.get(i) > tags.get(i - 1));
      }
    }
  }

  @Test
  public void aSteadyRateIsKept() {
    Inject inject = new Inject();
    inject.topic = "paced";
    inject.bootstrapServers = kafka.bootstrapServers();
    inject.limit = 2_000;
    LocalKafka.ensureTopics(kafka.bootstrapServers(), Map.of("paced", 4));
    Inject.Report report = inject.send(DetectorSimulation.fromSpec("sim:"), 1_000);
    assertEquals(2_000, report.rowsSent.get());
    assertTrue("took " + report.elapsedSeconds(), report.elapsedSeconds() > 1.9 && report.elapsedSeconds() < 2.5);
  }

  @Test
  public void theSimulationIsDeterministicPerSeed() {
    assertEquals(rows("sim:seed=9", 20_000), rows("sim:seed=9", 20_000));
    assertNotEquals(rows("sim:seed=9", 1_000), rows("sim:seed=10", 1_000));
  }

  @Test
  public void badOptionsAreUsageErrors() {
    CommandLine cli = new CommandLine(new Inject());
    cli.setErr(new java.io.PrintWriter(new java.io.StringWriter()));
    assertEquals(2, cli.execute("--source=sim:", "--rate=fast"));
    assertEquals(2, cli.execute("--source=" + TEMP.getRoot() + "/missing.csv"));
    assertEquals(2, cli.execute("--source=sim:speed=3"));
  }

  private static List<String> rows(String spec, int count) {
    DetectorSimulation simulation = DetectorSimulation.fromSpec(spec);
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(simulation.next());
    }
    return rows;
  }

  private static List<ConsumerRecord<String, String>> readAll(String topic, int rows) {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + topic);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    int seen = 0;
    Instant deadline = Instant.now().plusSeconds(60);
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (seen < rows && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          records.add(record);
          seen += record.value().split("\n").length;
        }
      }
      consumer.poll(Duration.ofSeconds(1)).forEach(records::add); // nothing more may come
    }
    return records;
  }
}
