package io.dtstream.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtstream.contract.kafka.KafkaClientConfig;
import io.dtstream.contract.kafka.Topics;
import io.dtstream.contract.results.ResultMessage;
import io.dtstream.local.LocalKafka;
import io.dtstream.testing.ReferenceCount;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The system over a secured broker, through the launcher: {@code kafka start --security=sasl_ssl},
 * then {@code inject}, a DirectRunner {@code pipeline} and the {@code dashboard}, each with the
 * client settings it printed as {@code --kafkaConfig}; every window equals an independent count.
 * A client without the settings, or with a wrong password, gets one line and exit 1, soon; and no
 * password appears in any output or log.
 */
public class SecuredKafkaIT {
  private static final Path LAUNCHER = Path.of("dtstream").toAbsolutePath();
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  /** Every file the commands wrote on stdout and stderr, for the search for passwords. */
  private final List<Path> outputs = new ArrayList<>();
  private Path work;

  @Test
  public void injectorPipelineAndDashboardRunOverSaslSslAndNoPasswordIsLogged() throws Exception {
    work = temp.newFolder("work").toPath();
    Path kafkaDir = work.resolve("kafka");
    int[] ports = LocalKafka.freePorts(3);
    String bootstrap = "127.0.0.1:" + ports[0];
    List<String> started =
        launch("kafka", "start", "--security=sasl_ssl", "--port=" + ports[0], "--controllerPort=" + ports[1]);
    List<Process> running = new ArrayList<>();
    try {
      assertThat(started.toString(), started.get(0), containsString("security=sasl_ssl"));
      Path clientProperties = kafkaDir.resolve("client.properties");
      assertThat(started.get(1), containsString("--kafkaConfig=" + clientProperties));
      String kafkaConfig = "--kafkaConfig=" + clientProperties;
      assertThat(launch("kafka", "status").get(0), containsString("security=sasl_ssl"));

      Path rows = temp.getRoot().toPath().resolve("rows.csv");
      Files.write(rows, launch("simulate", "--rows=20000", "--seed=11"));
      ReferenceCount reference = ReferenceCount.of(Files.readAllLines(rows, StandardCharsets.UTF_8), 5_000);

      running.add(start("pipeline", "--runner=DirectRunner", "--bootstrapServers=" + bootstrap, kafkaConfig,
          "--timeDomain=detector", "--windowSeconds=5", "--idleSeconds=3", "--startFrom=earliest"));
      running.add(start("dashboard", "--port=" + ports[2], "--bootstrapServers=" + bootstrap, kafkaConfig));
      List<String> injected = launch("inject", "--source=" + rows, "--rate=max", "--progress=log",
          "--bootstrapServers=" + bootstrap, kafkaConfig);
      assertThat(injected.toString(), injected.get(injected.size() - 1), containsString("rowsSent=20000 "));

      Map<String, ResultMessage> windows = readWindows(bootstrap, clientProperties, reference.total.rows);
      assertEquals(reference.windows.size(), windows.size());
      for (Map.Entry<Long, ReferenceCount.Totals> window : reference.windows.entrySet()) {
        ResultMessage message = windows.get(Instant.ofEpochMilli(window.getKey()).toString());
        assertEquals("rows of " + window.getKey(), window.getValue().rows, message.counts().rows());
        assertEquals("hits of " + window.getKey(), window.getValue().hits, message.counts().hits());
      }
      awaitDashboardWindows("http://127.0.0.1:" + ports[2], windows.size());

      // a client without the settings, and one with a wrong password: one line, exit 1, soon
      assertOneLineFailure("--kafkaConfig=FILE",
          "inject", "--source=sim:", "--limit=10", "--connectTimeoutSeconds=10", "--bootstrapServers=" + bootstrap);
      Path wrong = temp.getRoot().toPath().resolve("wrong.properties");
      Files.writeString(wrong, Files.readString(clientProperties).replaceAll("password=\"[^\"]*\"", "password=\"wrong\""));
      assertOneLineFailure("refused this client's security",
          "watch", "--bootstrapServers=" + bootstrap, "--kafkaConfig=" + wrong);
    } finally {
      for (Process process : running) {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
      launch("kafka", "stop");
    }
    assertNoPasswordIn(kafkaDir);
  }

  /** The latest message per window on the results topic, read over SASL_SSL, once they hold {@code rows} rows. */
  private static Map<String, ResultMessage> readWindows(String bootstrap, Path clientProperties, long rows)
      throws Exception {
    Properties config = new Properties();
    config.putAll(KafkaClientConfig.load(clientProperties.toString()).consumer());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    Map<String, ResultMessage> latest = new TreeMap<>();
    long seen = 0;
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.assign(List.of(new TopicPartition(Topics.RESULTS, 0)));
      consumer.seekToBeginning(consumer.assignment());
      Instant deadline = Instant.now().plus(PATIENCE);
      while (seen != rows && Instant.now().isBefore(deadline)) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          latest.put(record.key(), ResultMessage.fromJson(record.value()));
        }
        seen = latest.values().stream().mapToLong(m -> m.counts().rows()).sum();
      }
    }
    assertEquals("rows in the latest windows", rows, seen);
    return latest;
  }

  private static void awaitDashboardWindows(String base, int windows) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Instant deadline = Instant.now().plus(PATIENCE);
    String health = "";
    while (Instant.now().isBefore(deadline)) {
      try {
        health = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/health")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        if (json.readTree(health).path("windowsInHistory").asInt() == windows) {
          return;
        }
      } catch (IOException e) {
        health = e.toString(); // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the dashboard never held the " + windows + " windows: " + health);
  }

  private void assertOneLineFailure(String expected, String... args) throws Exception {
    Path out = newOutput();
    Path err = newOutput();
    long begin = System.nanoTime();
    Process process = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    boolean ended = process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly();
    }
    assertTrue(String.join(" ", args) + " did not end within " + PATIENCE, ended);
    List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8);
    assertEquals(lines.toString(), 1, process.exitValue());
    assertEquals(lines.toString(), 1, lines.size());
    assertThat(lines.get(0), containsString(expected));
    System.out.printf("%s: %s (%.1f s)%n", args[0], lines.get(0), (System.nanoTime() - begin) / 1e9);
  }

  /** None of the broker's passwords in the commands' outputs nor in the broker's log. */
  private void assertNoPasswordIn(Path kafkaDir) throws IOException {
    Properties secrets = new Properties();
    try (Reader in = Files.newBufferedReader(kafkaDir.resolve("secrets.properties"), StandardCharsets.UTF_8)) {
      secrets.load(in);
    }
    assertEquals(secrets.stringPropertyNames().toString(), 4, secrets.size());
    List<Path> logs = new ArrayList<>(outputs);
    logs.add(kafkaDir.resolve("broker.log"));
    try (Stream<Path> files = Files.walk(work)) {
      files.filter(file -> file.toString().endsWith(".log")).forEach(logs::add);
    }
    boolean settingsLogged = false;
    for (Path log : logs) {
      String text = Files.readString(log, StandardCharsets.ISO_8859_1);
      settingsLogged |= text.contains("sasl.jaas.config = [hidden]");
      for (String name : secrets.stringPropertyNames()) {
        assertFalse(name + " in " + log, text.contains(secrets.getProperty(name)));
      }
    }
    assertTrue("the clients logged their settings, where the passwords would be", settingsLogged);
  }

  /** A command of the launcher, to its end: its standard output (it must succeed). */
  private List<String> launch(String... args) throws Exception {
    Path out = newOutput();
    Path err = newOutput();
    Process process = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("dtstream " + String.join(" ", args) + " did not end");
    }
    assertEquals(String.join(" ", args) + ": " + Files.readString(err), 0, process.exitValue());
    return Files.readAllLines(out, StandardCharsets.UTF_8);
  }

  /**
   * A long-running command of the launcher, its output in the temporary folder; at level info,
   * where the Kafka clients log their settings (the passwords among them, hidden, they must be).
   */
  private Process start(String... args) throws IOException {
    ProcessBuilder builder = builder(args);
    builder.environment().put("DTSTREAM_LOG_LEVEL", "info");
    return builder.redirectErrorStream(true).redirectOutput(newOutput().toFile()).start();
  }

  private Path newOutput() throws IOException {
    Path file = temp.newFile().toPath();
    outputs.add(file);
    return file;
  }

  private ProcessBuilder builder(String... args) {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    // the build at hand (this module's integration tests run after every module was packaged)
    builder.environment().put("DTSTREAM_BUILT", "yes");
    // one work folder for all: kafka stop and status find the broker that kafka start left there
    builder.environment().put("DTSTREAM_WORK", work.toString());
    builder.environment().remove("DTSTREAM_DEBUG");
    builder.environment().remove("DTSTREAM_LOG_LEVEL");
    return builder;
  }
}
