package io.dtstream.pipeline.testing;

import io.dtstream.contract.kafka.Topics;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtstream.contract.results.ResultMessage;
import io.dtstream.pipeline.StreamingPipeline;
import io.dtstream.testing.Comparisons;
import io.dtstream.testing.ReferenceCount;
import io.dtstream.testing.RowGenerator;
import io.dtstream.local.LocalKafka;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Nothing lost through crashes: known rows are produced while the pipeline (on some runner, its
 * own JVM, started with one fixed command) is killed with SIGKILL at random moments and started
 * again, and the broker is killed and restarted once. In the end, the latest message of every
 * window must equal an uninterrupted count of the same rows in detector time, and every malformed
 * row must be in the dead-letter topic. The runners' fault tests run it ({@code FaultToleranceIT}
 * on Spark, {@code FlinkFaultToleranceIT} on Flink).
 */
public final class FaultScenario {
  private static final int PARTITIONS = 4;
  private static final int ROWS = 120_000;
  private static final int ROWS_PER_SECOND = 4_000;
  private static final int ROWS_PER_RECORD = 10;
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path temp;
  private final List<String> jvm;
  private final List<String> runnerArgs;

  /**
   * The pipeline runs in JVMs of its own on the test's classpath (which holds the runner), with a
   * 1 GiB heap.
   *
   * @param temp a folder of its own for the broker's data
   * @param javaArgs the runner's Java 17 flags, a java {@code @argfile}
   * @param runnerArgs the runner's options, its checkpoint folder among them
   */
  public FaultScenario(Path temp, Path javaArgs, String... runnerArgs) {
    this.temp = temp;
    this.jvm = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + javaArgs.normalize(),
        "-Xmx1g",
        "-cp",
        System.getProperty("java.class.path"));
    this.runnerArgs = List.of(runnerArgs);
  }

  /** Two SIGKILLs of the pipeline and one of the broker while rows flow; every window must be exact. */
  public void killedPipelineAndBrokerLoseNothing() throws Exception {
    long seed = Long.getLong("dtstream.faultSeed", System.nanoTime());
    Random random = new Random(seed);
    System.err.println("FaultScenario: seed " + seed + " (-Ddtstream.faultSeed=" + seed + " repeats it)");
    List<String> lines = EndToEnd.inDetectorTimeOrder(RowGenerator.generate(seed, ROWS, 60));
    ReferenceCount reference = ReferenceCount.of(lines, 5_000);

    LocalKafka kafka = LocalKafka.startForTest(Files.createDirectories(temp.resolve("kafka")));
    String id = UUID.randomUUID().toString().substring(0, 8);
    String input = "raw-" + id;
    String output = "clean-" + id;
    String deadLetters = "dlq-" + id;
    Topics.ensure(kafka.bootstrapServers(), Map.of(input, PARTITIONS, output, 1, deadLetters, 1));
    List<String> command = pipelineCommand(kafka, input, output, deadLetters);

    AtomicLong unacknowledged = new AtomicLong();
    String bootstrapServers = kafka.bootstrapServers(); // the same after the broker's restart
    CompletableFuture<Void> producing =
        CompletableFuture.runAsync(() -> produce(bootstrapServers, input, lines, unacknowledged));
    Process pipeline = start(command, 0);
    int kills = 0;
    try {
      sleepSeconds(12 + random.nextInt(8));
      pipeline = killAndRestart(pipeline, command, ++kills);

      // While the producer still sends (for 30 s): it holds rows while the broker is out.
      sleepSeconds(4 + random.nextInt(6));
      System.err.println("FaultScenario: killing the broker");
      kafka.kill();
      sleepSeconds(3);
      kafka = kafka.restart();
      System.err.println("FaultScenario: broker back");

      sleepSeconds(8 + random.nextInt(8));
      pipeline = killAndRestart(pipeline, command, ++kills);

      producing.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertEquals("rows the broker did not acknowledge", 0, unacknowledged.get());

      Results results = readUntil(kafka.bootstrapServers(), output, reference.total.hits, pipeline);
      List<String> dead = readDeadLetters(kafka.bootstrapServers(), deadLetters, reference.malformedLines.size());
      long late = results.latest.values().stream().mapToLong(m -> m.counts().late()).sum();
      System.err.printf("FaultScenario: %,d rows came late, after their window had fired%n", late);

      assertEquals(
          "windows",
          reference.windows.keySet().stream().map(start -> Instant.ofEpochMilli(start).toString()).toList(),
          List.copyOf(results.latest.keySet()));
      long counted = 0;
      for (Map.Entry<Long, ReferenceCount.Totals> window : reference.windows.entrySet()) {
        ResultMessage message = results.latest.get(Instant.ofEpochMilli(window.getKey()).toString());
        Comparisons.assertMatches(window.getValue(), message, false);
        counted += message.counts().rows();
      }
      Map<String, Integer> expectedDead = countEach(reference.malformedLines);
      Map<String, Integer> foundDead = countEach(dead);
      expectedDead.forEach(
          (line, times) -> assertTrue("dead letter missing: " + line, foundDead.getOrDefault(line, 0) >= times));
      assertEquals("dead letters of lines that were not malformed", expectedDead.keySet(), foundDead.keySet());
      long lost = reference.total.rows - counted - reference.malformedLines.size();
      assertEquals("rows lost", 0, lost);
      System.err.printf(
          "FaultScenario: %d pipeline kills, 1 broker kill; %,d rows injected, %,d counted in %d windows, "
              + "%,d dead letters (%,d repeated), %d rows lost; %d window messages for %d windows (%d re-emitted)%n",
          kills, lines.size(), counted, results.latest.size(), reference.malformedLines.size(),
          dead.size() - reference.malformedLines.size(), lost, results.messages, results.latest.size(),
          results.messages - results.latest.size());
    } finally {
      pipeline.destroyForcibly().waitFor();
      kafka.stop();
    }
  }

  /** The pipeline as a user runs it: one fixed command, its own JVM, state in a checkpoint folder. */
  private List<String> pipelineCommand(LocalKafka kafka, String input, String output, String deadLetters) {
    List<String> command = new ArrayList<>(jvm);
    command.add(StreamingPipeline.class.getName());
    command.addAll(runnerArgs);
    command.addAll(List.of(
        "--bootstrapServers=" + kafka.bootstrapServers(),
        "--inputTopic=" + input,
        "--outputTopic=" + output,
        "--deadLetterTopic=" + deadLetters,
        "--consumerGroup=fault-test",
        "--startFrom=earliest",
        "--timeDomain=detector",
        "--windowSeconds=5",
        "--idleSeconds=3"));
    return command;
  }

  /** Each run's log stays in target/fault-test for a look after a failure. */
  private Process start(List<String> command, int run) throws Exception {
    Path logs = Files.createDirectories(Path.of("target", "fault-test"));
    File log = logs.resolve("pipeline-" + run + ".log").toFile();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    return builder.start();
  }

  private Process killAndRestart(Process pipeline, List<String> command, int kill) throws Exception {
    assertTrue("the pipeline died by itself before kill " + kill, pipeline.isAlive());
    System.err.println("FaultScenario: SIGKILL to the pipeline (" + kill + ")");
    pipeline.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no final checkpoint
    return start(command, kill);
  }

  /** Rows in time order, 10 per record over all partitions, at a steady rate, idempotently. */
  private static void produce(String bootstrapServers, String topic, List<String> lines, AtomicLong unacknowledged) {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    long start = System.nanoTime();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (int i = 0, record = 0; i < lines.size(); i += ROWS_PER_RECORD, record++) {
        String value = String.join("\n", lines.subList(i, Math.min(lines.size(), i + ROWS_PER_RECORD)));
        int rows = Math.min(ROWS_PER_RECORD, lines.size() - i);
        producer.send(
            new ProducerRecord<>(topic, record % PARTITIONS, null, value),
            (metadata, error) -> {
              if (error != null) {
                unacknowledged.addAndGet(rows);
              }
            });
        long due = start + (long) (i * 1e9 / ROWS_PER_SECOND);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
      }
      producer.flush();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Results(Map<String, ResultMessage> latest, int messages) {}

  /** The latest message per window, once the windows hold every hit (as the dashboard keeps them). */
  private static Results readUntil(String bootstrapServers, String topic, long hits, Process pipeline)
      throws Exception {
    Map<String, ResultMessage> latest = new TreeMap<>();
    int messages = 0;
    long written = -1;
    Instant deadline = Instant.now().plus(TIMEOUT);
    try (KafkaConsumer<String, String> consumer = EndToEnd.consumer(bootstrapServers, topic)) {
      while (Instant.now().isBefore(deadline) && pipeline.isAlive()) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          ResultMessage message = ResultMessage.fromJson(record.value());
          latest.put(message.window().start(), message);
          messages++;
        }
        long seen = latest.values().stream().mapToLong(m -> m.counts().hits()).sum();
        if (seen == hits) {
          // A repeated batch may still re-emit a window: read what is on its way, then judge.
          for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(5))) {
            ResultMessage message = ResultMessage.fromJson(record.value());
            latest.put(message.window().start(), message);
            messages++;
          }
          return new Results(latest, messages);
        }
      }
      written = consumer.endOffsets(consumer.assignment()).values().stream().mapToLong(Long::longValue).sum();
    }
    long seen = latest.values().stream().mapToLong(m -> m.counts().hits()).sum();
    StringBuilder windows = new StringBuilder();
    latest.forEach((start, message) -> windows.append(' ').append(start).append('=').append(message.counts().hits()));
    throw new AssertionError(
        "windows hold " + seen + " of " + hits + " hits after " + TIMEOUT + ", in " + messages
            + " messages read of the " + written + " on the topic (pipeline alive: " + pipeline.isAlive()
            + ", its threads in " + threadDump(pipeline) + "):" + windows);
  }

  /** A stuck pipeline's threads, for a look after a failure (the JDK's jstack). */
  private static Path threadDump(Process pipeline) {
    Path dump = Path.of("target", "fault-test", "pipeline-threads.txt");
    try {
      String jstack = Path.of(System.getProperty("java.home"), "bin", "jstack").toString();
      new ProcessBuilder(jstack, Long.toString(pipeline.pid()))
          .redirectErrorStream(true)
          .redirectOutput(dump.toFile())
          .start()
          .waitFor(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("FaultScenario: no thread dump: " + e);
    }
    return dump;
  }

  private static List<String> readDeadLetters(String bootstrapServers, String topic, int expected) throws Exception {
    List<String> lines = new ArrayList<>();
    Instant deadline = Instant.now().plusSeconds(60);
    try (KafkaConsumer<String, String> consumer = EndToEnd.consumer(bootstrapServers, topic)) {
      int quiet = 0;
      while (Instant.now().isBefore(deadline) && (lines.size() < expected || quiet < 4)) {
        int before = lines.size();
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          lines.add(JSON.readTree(record.value()).path("line").asText());
        }
        quiet = lines.size() == before ? quiet + 1 : 0;
      }
    }
    return lines;
  }

  private static Map<String, Integer> countEach(List<String> lines) {
    Map<String, Integer> counts = new HashMap<>();
    lines.forEach(line -> counts.merge(line, 1, Integer::sum));
    return counts;
  }

  private static void sleepSeconds(int seconds) throws InterruptedException {
    TimeUnit.SECONDS.sleep(seconds);
  }
}
