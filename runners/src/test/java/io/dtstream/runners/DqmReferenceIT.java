package io.dtstream.runners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtstream.contract.kafka.Topics;
import io.dtstream.dashboard.AlarmTopicRecords;
import io.dtstream.dashboard.HeadlessChromium;
import io.dtstream.local.LocalKafka;
import java.io.IOException;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.openqa.selenium.By;

/**
 * The DQM chain end to end, through the launcher: {@code analyze --summary} of a clean simulated
 * run is the dashboard's {@code --reference}; the windows of a run with chamber 2 delayed by
 * 15 ns (simulate's planted fault, analyzed window by window) go to the results topic; the
 * dashboard raises a t0 alarm for chamber 2 and for no other chamber, on its page, in {@code
 * /api/alarms} and on the alarm topic.
 */
public class DqmReferenceIT {
  private static final Path LAUNCHER = Path.of("dtstream").toAbsolutePath();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void aChamberDelayedBy15nsAgainstACleanReferenceRaisesItsT0AlarmOnly() throws Exception {
    // three times the default muon rate: the rolling view of 20 windows (100 s) then holds the
    // 2,000 entries a time-box fit needs in every chamber (chamber 3, the lowest, sees ~125 a window)
    Path clean = simulate("clean.csv", "--rows=150000", "--seed=3", "--spec=rate=180");
    Path reference = temp.getRoot().toPath().resolve("reference.json");
    Files.write(reference, launch("analyze", "--input=" + clean, "--timeDomain=detector", "--summary"));
    Path delayed = simulate("delayed.csv", "--rows=250000", "--seed=4", "--spec=rate=180", "--delayNs", "2=15");
    List<String> windows = launch("analyze", "--input=" + delayed, "--timeDomain=detector");
    assertTrue(windows.size() + " windows", windows.size() >= 30);

    try (LocalKafka kafka = LocalKafka.startForTest(temp.newFolder("kafka").toPath())) {
      Topics.ensure(kafka.bootstrapServers(), Map.of("data_clean", 1));
      publish(kafka.bootstrapServers(), "data_clean", windows);
      int port = LocalKafka.freePorts(1)[0];
      Process dashboard = start("dashboard", "--port=" + port, "--bootstrapServers=" + kafka.bootstrapServers(),
          "--reference=" + reference, "--alarmTopic=dqm_alarms", "--qualityWindows=20");
      try {
        String base = "http://127.0.0.1:" + port;
        awaitWindows(base, windows.size());
        JsonNode journal = JSON.readTree(get(base + "/api/alarms"));
        Set<String> firing = new TreeSet<>();
        journal.forEach(a -> {
          if (a.path("state").asText().equals("firing")) {
            firing.add(a.path("id").asText());
          }
        });
        // the timing and reference tests fire for chamber 2 only (the simulation's dead and noisy
        // channels, and the layers a dead cell makes inefficient, fire alarms of their own)
        Set<String> timing = new TreeSet<>(firing);
        timing.removeIf(id -> !id.matches("(t0|tMax|reference)/.*"));
        assertEquals(firing.toString(), Set.of("t0/2", "reference/2"), timing);
        JsonNode rolling = JSON.readTree(get(base + "/api/quality?view=rolling"));
        for (JsonNode chamber : rolling.path("chambers")) {
          assertEquals("chamber " + chamber.path("chamber"), "ok", chamber.at("/quality/timeBox/status").asText());
        }
        JsonNode chamber2 = rolling.path("chambers").get(2);
        assertEquals(15, chamber2.at("/quality/timeBox/t0Ns").asDouble() - chamber2.at("/reference/quality/timeBox/t0Ns").asDouble(), 2);

        Set<String> published = new TreeSet<>();
        for (JsonNode alarm : AlarmTopicRecords.read(kafka.bootstrapServers(), "dqm_alarms", firing.size(), PATIENCE)) {
          if (alarm.path("state").asText().equals("firing")) {
            published.add(alarm.path("id").asText());
          }
        }
        assertEquals(firing, published);

        try (HeadlessChromium browser = HeadlessChromium.start()) {
          browser.driver.get(base + "/");
          browser.waiting(PATIENCE).until(d -> "light alarm".equals(d.findElement(By.id("light-2")).getAttribute("class")));
          browser.waiting(PATIENCE).until(d -> d.findElement(By.id("journal-list")).getText().contains("t0: chamber 2: t0 1"));
          String firingList = browser.driver.findElement(By.id("journal-list")).getText();
          assertEquals(firingList, 1, firingList.split("t0: ", -1).length - 1);
          String compared = "return document.querySelectorAll('.chamber')[2].querySelector('[data-quality=reference]')";
          browser.waiting(PATIENCE).until(d -> "error".equals(browser.script(compared + ".dataset.status")));
          assertTrue(String.valueOf(browser.script(compared + ".textContent")).contains("driftTimeFine error"));
          // a clean chamber may warn now and then (p below 0.01 by chance), never fail
          for (int c : new int[] {0, 1, 3}) {
            String status = String.valueOf(browser.script(
                "return document.querySelectorAll('.chamber')[" + c + "].querySelector('[data-quality=reference]').dataset.status"));
            assertTrue("chamber " + c + ": " + status, status.equals("ok") || status.equals("warning"));
          }
          browser.screenshot("dqm-reference");
        }
      } finally {
        dashboard.destroy();
        dashboard.waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  private Path simulate(String name, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("simulate"));
    command.addAll(List.of(args));
    Path file = temp.getRoot().toPath().resolve(name);
    Files.write(file, launch(command.toArray(String[]::new)));
    return file;
  }

  private static void publish(String bootstrapServers, String topic, List<String> messages) throws Exception {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      for (String message : messages) {
        String start = JSON.readTree(message).path("window").path("start").asText();
        producer.send(new ProducerRecord<>(topic, start, message)).get();
      }
    }
  }

  private static void awaitWindows(String base, int windows) throws Exception {
    Instant deadline = Instant.now().plus(PATIENCE);
    String health = "";
    while (Instant.now().isBefore(deadline)) {
      try {
        health = get(base + "/api/health");
        if (JSON.readTree(health).path("windowsInHistory").asInt() == windows) {
          return;
        }
      } catch (IOException e) {
        health = e.toString(); // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the dashboard never held the " + windows + " windows: " + health);
  }

  private static String get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  /** A command of the launcher, to its end: its standard output (it must succeed). */
  private List<String> launch(String... args) throws Exception {
    Path out = temp.newFile().toPath();
    Path err = temp.newFile().toPath();
    Process process = builder(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("dtstream " + String.join(" ", args) + " did not end");
    }
    assertEquals(String.join(" ", args) + ": " + Files.readString(err), 0, process.exitValue());
    return Files.readAllLines(out, StandardCharsets.UTF_8);
  }

  /** A long-running command of the launcher, its output in the temporary folder. */
  private Process start(String... args) throws IOException {
    Path log = temp.newFile().toPath();
    return builder(args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private ProcessBuilder builder(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    // the build at hand (this module's integration tests run after every module was packaged)
    builder.environment().put("DTSTREAM_BUILT", "yes");
    builder.environment().put("DTSTREAM_WORK", temp.newFolder().toString());
    builder.environment().remove("DTSTREAM_DEBUG");
    return builder;
  }
}
