package io.dtstream.dashboard;

import io.dtstream.contract.kafka.Topics;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtstream.local.LocalKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.openqa.selenium.By;

/**
 * The dashboard against a real broker: windows published to a topic reach its REST API and, in
 * headless chromium, its page; the page survives restarts of the dashboard and of the broker.
 */
public class DashboardEndToEndTest {
  @ClassRule public static final TemporaryFolder TEMP = new TemporaryFolder();
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final AtomicInteger TOPICS = new AtomicInteger();

  private static Path brokerDir;
  private static int brokerPort;
  private static int controllerPort;
  private static LocalKafka kafka;
  private static KafkaProducer<String, String> producer;

  private final String topic = "results-" + TOPICS.incrementAndGet();
  /** Window starts in the recent past: the dashboard reads back the last hour of the topic. */
  private final Instant firstStart = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(10));
  private Dashboard dashboard;
  private HeadlessChromium browser;

  @BeforeClass
  public static void startBroker() throws Exception {
    brokerDir = TEMP.newFolder("kafka").toPath();
    int[] ports = LocalKafka.freePorts(2);
    brokerPort = ports[0];
    controllerPort = ports[1];
    kafka = LocalKafka.start(brokerDir, brokerPort, controllerPort);
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  @AfterClass
  public static void stopBroker() {
    producer.close(Duration.ofSeconds(5));
    kafka.stop();
  }

  @After
  public void stopDashboardAndBrowser() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (dashboard != null) {
      dashboard.close();
    }
  }

  @Test
  public void theApiServesTheLatestWindowsReplacesRepeatsAndSkipsMalformedMessages() throws Exception {
    Topics.ensure(kafka.bootstrapServers(), Map.of(topic, 2));
    dashboard = startDashboard(0);
    long[][] noisy = TestWindows.flat(10, 10, 10, 10);
    noisy[1][2] = 200;
    publish(window(0), TestWindows.json(window(0), TestWindows.flat(1, 2, 3, 4), 5));
    publish(window(1), TestWindows.json(window(1), TestWindows.flat(1, 1, 1, 1), 0));
    publish(window(1).toString(), "{\"schema\": 1, \"window\": "); // cut short
    publish(window(3).toString(), TestWindows.json(window(2), noisy, 0)); // key is not its start
    publish(window(2), TestWindows.json(window(2), noisy, 0));
    publish(window(1), TestWindows.json(window(1), TestWindows.flat(2, 2, 2, 2), 9)); // again, replaces

    JsonNode health = awaitHealth(h -> h.path("malformedMessages").asLong() == 2 && h.path("windowsInHistory").asInt() == 3
        && h.path("lastWindow").path("start").asText().equals(window(2).toString()) && h.path("kafka").path("lag").asLong(-1) == 0);
    assertEquals("ok", health.path("status").asText());
    assertTrue(health.path("kafka").path("connected").asBoolean());
    assertEquals(List.of("1/2"), channels(health.path("alarms").path("noisy")));
    assertEquals("no browser yet", 0, health.path("connectedClients").asInt());

    JsonNode lastTwo = JSON.readTree(get("/api/windows?last=2").body());
    assertEquals(2, lastTwo.size());
    assertEquals(window(1).toString(), lastTwo.get(0).path("results").path("start").asText());
    assertEquals(64 * 2 * 4 + 9, lastTwo.get(0).path("results").path("counts").path("hits").asLong());
    assertEquals(200, lastTwo.get(1).path("results").path("chambers").get(1).path("occupancy").get(2).asLong());
    assertEquals("the page's drift labels", 600, lastTwo.get(1).path("results").path("binEdges").path("driftTime").get(80).asInt());
    assertEquals(3, JSON.readTree(get("/api/windows").body()).size());
    assertEquals(400, get("/api/windows?last=-3").statusCode());
  }

  @Test
  public void thePageShowsTheTotalsAndUpdatesItsChartsWhenAWindowArrives() throws Exception {
    Topics.ensure(kafka.bootstrapServers(), Map.of(topic, 1));
    for (int i = 0; i < 12; i++) { // a run with a dead channel (0/17) and a noisy one (1/2)
      long[][] occupancy = TestWindows.flat(20 + i, 30, 25, 15);
      occupancy[0][17] = 0;
      occupancy[1][2] = 400;
      publish(window(i), TestWindows.json(window(i), occupancy, 7));
    }
    dashboard = startDashboard(0);
    browser = HeadlessChromium.start();
    browser.driver.get(pageUrl());

    awaitText("hits-total", total(TestWindows.flat(31, 30, 25, 15), 7, -31 + 400 - 30));
    assertEquals(number(63 * 31), text("hits-0"));
    assertEquals(number(63 * 30 + 400), text("hits-1"));
    assertEquals(number(64 * 25), text("hits-2"));
    assertEquals(number(64 * 15), text("hits-3"));
    assertEquals("7", text("hits-unmapped"));
    assertEquals("live", text("server-status"));
    assertEquals("connected", text("kafka-status"));
    String alarms = text("alarm-list");
    assertTrue(alarms, alarms.contains("dead: chamber 0 channel 17") && alarms.contains("noisy: chamber 1 channel 2"));
    assertEquals(12L, browser.script("return Chart.getChart('series-chart').data.datasets[0].data.length"));
    // Labels and limits from the bin edges the messages carry.
    assertEquals(-200L, browser.script(
        "return Chart.getChart(document.querySelector('#chambers .chamber canvas[data-plot=drift]')).data.labels[0]"));
    assertEquals("· below −200: 1, from 600: 2", browser.driver.findElement(By.cssSelector("#chambers .chamber .drift-outside")).getText());
    Path screenshot = browser.screenshot("dashboard");
    assertTrue(screenshot.toFile().length() > 10_000);

    // A new window: the table, the time series and the histograms follow, on the same charts.
    browser.script("window.seriesChartBefore = Chart.getChart('series-chart')");
    long[][] next = TestWindows.flat(50, 1, 2, 3);
    next[0][5] = 77;
    publish(window(12), TestWindows.json(window(12), next, 0));
    String newTotal = number(64 * 56 - 50 + 77);
    awaitText("hits-total", newTotal);
    browser.waiting(PATIENCE).until(d -> Long.valueOf(64 * 56 - 50 + 77).equals(
        browser.script("const d = Chart.getChart('series-chart').data.datasets[0].data; return d.length === 13 ? d[12].y : null")));
    assertEquals(true, browser.script("return window.seriesChartBefore === Chart.getChart('series-chart')"));
    assertEquals(77L, browser.script(
        "return Chart.getChart(document.querySelector('#chambers .chamber canvas[data-plot=occupancy]')).data.datasets[0].data[5]"));

    // Cumulative since the first window held: the sum of all 13.
    browser.driver.findElement(By.id("mode-cumulative")).click();
    long cumulativeChamber2 = 12L * 64 * 25 + 64 * 2;
    awaitText("hits-2", number(cumulativeChamber2));
    assertTrue(text("shown-range"), text("shown-range").contains("(13 windows)"));
    browser.driver.findElement(By.id("mode-latest")).click();
    awaitText("hits-2", number(64 * 2));
  }

  /**
   * Each chamber's cells where they are built, with their rates: windows with a dead channel (0/17)
   * and a noisy one (1/9), window 5 missing, so that the cumulative view's 11 windows last 55 s
   * while they span 60 s. The expected places are the geometry's (DESIGN.md section 1), written
   * out here rather than read from the code under test.
   */
  @Test
  public void thePageMapsEachChambersCellsWithTheirRates() throws Exception {
    Topics.ensure(kafka.bootstrapServers(), Map.of(topic, 1));
    List<long[][]> published = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      if (i == 5) {
        continue;
      }
      long[][] occupancy = TestWindows.flat(20 + i, 30, 25, 15);
      occupancy[0][17] = 0;
      occupancy[1][9] = 400 + i;
      published.add(occupancy);
      publish(window(i), TestWindows.json(window(i), occupancy, 7));
    }
    long[][] latest = published.get(published.size() - 1);
    dashboard = startDashboard(0);
    JsonNode geometry = JSON.readTree(get("/api/geometry").body());
    assertEquals(64, geometry.path("cells").size());
    assertEquals(JSON.readTree("{\"channel\": 9, \"layer\": 3, \"wire\": 2, \"xMm\": 105.0, \"zMm\": 32.5}"), geometry.path("cells").get(9));
    browser = HeadlessChromium.start();
    browser.driver.get(pageUrl());
    String noisyCell = "channel 9 · layer 3 · wire 2 · " + hz(latest[1][9] / 5.0) + " Hz · noisy";
    awaitCellTitle(1, 9, noisyCell);

    for (int c = 0; c < 4; c++) {
      assertEquals("cells of chamber " + c, 64, cells(c).size());
    }
    Map<Integer, Map<String, Object>> chamber0 = byChannel(cells(0));
    // Layer from channel % 4: 0 -> 1, 1 -> 3, 2 -> 2, 3 -> 4; wire channel / 4.
    assertPlace(chamber0.get(0), 1, 0, 0, 39);
    assertPlace(chamber0.get(2), 2, 0, 21, 26);
    assertPlace(chamber0.get(9), 3, 2, 84, 13);
    assertPlace(chamber0.get(7), 4, 1, 63, 0);
    for (int wire = 0; wire < 16; wire++) {
      Map<String, Object> layer1 = chamber0.get(4 * wire);
      Map<String, Object> layer2 = chamber0.get(4 * wire + 2);
      assertEquals("wire " + wire + ": layer 2 half a cell right of layer 1",
          attribute(layer1, "width") / 2, attribute(layer2, "x") - attribute(layer1, "x"), 1e-9);
      assertEquals("wire " + wire + ": layer 3 above layer 1, aligned", attribute(layer1, "x"), attribute(chamber0.get(4 * wire + 1), "x"), 1e-9);
      assertTrue("layer 1 lowest", attribute(layer1, "y") > attribute(layer2, "y"));
    }

    // Rates over the latest window's 5 s; the alarms' cells outlined, each in its own style.
    assertEquals("channel 17 · layer 3 · wire 4 · 0.0 Hz · dead", chamber0.get(17).get("title"));
    assertEquals("channel 40 · layer 1 · wire 10 · " + hz(latest[2][40] / 5.0) + " Hz",
        byChannel(cells(2)).get(40).get("title"));
    Map<Integer, Map<String, Object>> chamber1 = byChannel(cells(1));
    assertEquals(noisyCell, chamber1.get(9).get("title"));
    assertEquals(List.of(17), outlined(cells(0), "dead"));
    assertEquals(List.of(9), outlined(cells(1), "noisy"));
    assertEquals(List.of(), outlined(cells(1), "dead"));
    Map<String, Object> plain = chamber1.get(8);
    assertTrue(chamber1.get(9) + " vs " + plain, !chamber1.get(9).get("stroke").equals(plain.get("stroke")));
    assertTrue(chamber0.get(17).toString(), !"none".equals(chamber0.get(17).get("dash")));
    assertEquals("none", plain.get("dash"));
    assertEquals("none", chamber1.get(9).get("dash"));

    // The table's rates: hits and noise (hits in orbits without a scintillator hit) per second.
    for (int c = 0; c < 4; c++) {
      long hits = java.util.Arrays.stream(latest[c]).sum();
      assertEquals("chamber " + c, hz(hits / 5.0), text("rate-" + c));
      assertEquals("chamber " + c, hz(noise(latest[c]) / 5.0), text("noise-" + c));
    }
    assertTrue(text("other-counts"), text("other-counts").contains("scintillator 7 (" + hz(7 / 5.0) + " Hz)"));
    String alarms = text("alarm-list");
    long noisyHits = published.stream().mapToLong(o -> o[1][9]).sum();
    String noisyAlarm = String.format(java.util.Locale.US, "noisy: chamber 1 channel 9 (%s hits, %s Hz: %.1f× median)",
        number(noisyHits), hz(noisyHits / 55.0), noisyHits / (30.0 * 11));
    assertTrue(alarms, alarms.contains(noisyAlarm));

    // Cumulative: the rates over the 11 windows' 55 s, on the same map.
    browser.script("window.cellMapBefore = document.querySelector('.chamber svg.cell-map')");
    browser.driver.findElement(By.id("mode-cumulative")).click();
    long chamber0Hits = published.stream().mapToLong(o -> java.util.Arrays.stream(o[0]).sum()).sum();
    awaitText("rate-0", hz(chamber0Hits / 55.0));
    assertEquals(hz(published.stream().mapToLong(o -> noise(o[1])).sum() / 55.0), text("noise-1"));
    awaitCellTitle(1, 9, "channel 9 · layer 3 · wire 2 · " + hz(noisyHits / 55.0) + " Hz · noisy");
    assertEquals(true, browser.script("return window.cellMapBefore === document.querySelector('.chamber svg.cell-map')"));
    assertEquals(64L, browser.script("return document.querySelector('.chamber svg.cell-map').querySelectorAll('rect').length"));
    assertTrue(browser.screenshot("cells").toFile().length() > 10_000);
  }

  /** The cells of a chamber's map, as their attributes, classes, title and computed outline. */
  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> cells(int chamber) {
    return (List<Map<String, Object>>) browser.script(
        "return [...document.querySelectorAll('.chamber')[arguments[0]].querySelectorAll('svg.cell-map rect.cell')].map(r => ({"
            + "channel: r.dataset.channel, layer: r.dataset.layer, wire: r.dataset.wire,"
            + "x: r.getAttribute('x'), y: r.getAttribute('y'), width: r.getAttribute('width'), height: r.getAttribute('height'),"
            + "classes: r.getAttribute('class'), title: r.querySelector('title').textContent,"
            + "stroke: getComputedStyle(r).stroke, dash: getComputedStyle(r).strokeDasharray}))", chamber);
  }

  private static Map<Integer, Map<String, Object>> byChannel(List<Map<String, Object>> cells) {
    Map<Integer, Map<String, Object>> byChannel = new java.util.TreeMap<>();
    cells.forEach(cell -> byChannel.put(Integer.parseInt((String) cell.get("channel")), cell));
    return byChannel;
  }

  /** The channels whose cell has {@code kind} (dead, noisy) among its classes. */
  private static List<Integer> outlined(List<Map<String, Object>> cells, String kind) {
    return byChannel(cells).entrySet().stream()
        .filter(e -> List.of(((String) e.getValue().get("classes")).split(" ")).contains(kind))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** A cell at layer and wire, its rect's top left at x and y (mm, the map's y down from layer 4's top), 42 x 13 mm. */
  private static void assertPlace(Map<String, Object> cell, int layer, int wire, double x, double y) {
    String where = "channel " + cell.get("channel");
    assertEquals(where, String.valueOf(layer), cell.get("layer"));
    assertEquals(where, String.valueOf(wire), cell.get("wire"));
    assertEquals(where, x, attribute(cell, "x"), 1e-9);
    assertEquals(where, y, attribute(cell, "y"), 1e-9);
    assertEquals(where, 42, attribute(cell, "width"), 1e-9);
    assertEquals(where, 13, attribute(cell, "height"), 1e-9);
  }

  private static double attribute(Map<String, Object> cell, String name) {
    return Double.parseDouble((String) cell.get(name));
  }

  private void awaitCellTitle(int chamber, int channel, String expected) {
    String title = "const r = document.querySelectorAll('.chamber')[arguments[0]]"
        + ".querySelector('svg.cell-map rect[data-channel=\"' + arguments[1] + '\"] title'); return r ? r.textContent : null";
    try {
      browser.waiting(PATIENCE).until(d -> expected.equals(browser.script(title, chamber, channel)));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("chamber " + chamber + " channel " + channel + "'s cell says '"
          + browser.script(title, chamber, channel) + "', expected '" + expected + "'", e);
    }
  }

  /** Hits in orbits without a scintillator hit: TestWindows puts half of each channel's (rounded down) in orbits with one. */
  private static long noise(long[] occupancy) {
    return java.util.Arrays.stream(occupancy).map(hits -> hits - hits / 2).sum();
  }

  /** A rate as the page writes it. */
  private static String hz(double value) {
    return String.format(java.util.Locale.US, "%,.1f", value);
  }

  @Test
  public void pauseHoldsThePageAndDownloadGivesWhatIsShown() throws Exception {
    Topics.ensure(kafka.bootstrapServers(), Map.of(topic, 1));
    publish(window(0), TestWindows.json(window(0), TestWindows.flat(1, 1, 1, 1), 0));
    publish(window(1), TestWindows.json(window(1), TestWindows.flat(2, 2, 2, 2), 0));
    dashboard = startDashboard(0);
    browser = HeadlessChromium.start();
    browser.driver.get(pageUrl());
    awaitText("hits-total", number(512));

    browser.driver.findElement(By.id("pause")).click();
    publish(window(2), TestWindows.json(window(2), TestWindows.flat(3, 3, 3, 3), 0));
    awaitText("pause", "Resume (1 new)");
    assertEquals("held while paused", number(512), text("hits-total"));
    browser.driver.findElement(By.id("pause")).click();
    awaitText("hits-total", number(768));

    browser.driver.findElement(By.id("mode-cumulative")).click();
    awaitText("hits-total", number(256 + 512 + 768));
    Map<String, Object> downloaded = download();
    assertEquals("cumulative", downloaded.get("mode"));
    assertEquals(3L, downloaded.get("windowCount"));
    assertEquals(window(0), Instant.parse((String) downloaded.get("from")));
    assertEquals(256L + 512 + 768, ((Map<?, ?>) ((Map<?, ?>) downloaded.get("results")).get("counts")).get("hits"));
    assertEquals(3, ((List<?>) downloaded.get("series")).size());
  }

  /** Clicks Download and reads the JSON file the page hands to the browser. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> download() {
    return (Map<String, Object>) ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "HTMLAnchorElement.prototype.click = function () { fetch(this.href).then(r => r.json()).then(done); };"
            + "document.getElementById('download').click();");
  }

  /**
   * {@code GET /metrics}, scraped with an HTTP client and parsed: the dashboard's meters count
   * what it read (a window sent twice counts twice: it was received twice), and the JVM's and
   * Jetty's are there.
   */
  @Test
  public void theMetricsCountWhatTheDashboardRead() throws Exception {
    Topics.ensure(kafka.bootstrapServers(), Map.of(topic, 1));
    long[][] withDead = TestWindows.flat(20, 20, 20, 20);
    withDead[0][5] = 0;
    for (int i = 0; i < 3; i++) {
      publish(window(i), TestWindows.json(window(i), withDead, 0));
    }
    publish(window(3).toString(), "not a results message");
    dashboard = startDashboard(0);
    awaitHealth(h -> h.path("windowsInHistory").asInt() == 3 && h.path("malformedMessages").asLong() == 1
        && h.path("kafka").path("lag").asLong(-1) == 0);

    HttpResponse<String> response = get("/metrics");
    assertEquals(200, response.statusCode());
    assertTrue(response.headers().firstValue("Content-Type").orElse(""), response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    Map<String, Double> metrics = io.dtstream.testing.PrometheusText.parse(response.body());
    assertEquals(3.0, metrics.get("dtstream_dashboard_windows_received_total"), 0);
    assertEquals(1.0, metrics.get("dtstream_dashboard_malformed_messages_total"), 0);
    assertEquals(0.0, metrics.get("dtstream_dashboard_consumer_lag_records"), 0);
    assertEquals(3.0, metrics.get("dtstream_dashboard_pipeline_delay_seconds_count"), 0);
    // each window was published now, some ten minutes after it ended
    double meanDelay = metrics.get("dtstream_dashboard_pipeline_delay_seconds_sum") / 3;
    assertTrue("mean delay " + meanDelay, meanDelay > 9 * 60 && meanDelay < 11 * 60);
    assertEquals(3.0, metrics.get("dtstream_dashboard_pipeline_delay_seconds_bucket{le=\"+Inf\"}"), 0);
    assertEquals("chamber 0 channel 5 fired after 3 windows", 1.0, metrics.get("dtstream_dashboard_alarms_firing{kind=\"dead\"}"), 0);
    for (String kind : List.of("noisy", "t0", "tMax", "efficiency", "reference")) {
      assertEquals(kind, 0.0, metrics.get("dtstream_dashboard_alarms_firing{kind=\"" + kind + "\"}"), 0);
    }
    assertTrue(metrics.keySet().stream().anyMatch(name -> name.startsWith("jvm_memory_used_bytes{")));
    assertTrue(metrics.get("jetty_threads_current") > 0);
    assertTrue(metrics.keySet().toString(), metrics.keySet().stream().anyMatch(name -> name.startsWith("jetty_connections_")));
  }

  @Test
  public void thePageKeepsABoundedNumberOfWindows() throws Exception {
    Topics.ensure(kafka.bootstrapServers(), Map.of(topic, 1));
    dashboard = startDashboard(0);
    browser = HeadlessChromium.start();
    browser.driver.get(pageUrl());
    awaitText("server-status", "live");
    int windows = 800; // more than the page's 720, in a burst
    for (int i = 0; i < windows; i++) {
      producer.send(new ProducerRecord<>(topic, window(i).toString(), TestWindows.json(window(i), TestWindows.flat(1, 1, 1, 1), i)));
    }
    producer.flush();
    awaitText("hits-total", number(256 + windows - 1));
    assertEquals(720L, browser.script("return Chart.getChart('series-chart').data.datasets[0].data.length"));
    assertEquals(256L + 80, browser.script("return Chart.getChart('series-chart').data.datasets[0].data[0].y"));
  }

  @Test
  public void thePageReconnectsAfterTheDashboardRestarts() throws Exception {
    Topics.ensure(kafka.bootstrapServers(), Map.of(topic, 1));
    publish(window(0), TestWindows.json(window(0), TestWindows.flat(1, 1, 1, 1), 0));
    dashboard = startDashboard(0);
    int port = dashboard.port();
    browser = HeadlessChromium.start();
    browser.driver.get(pageUrl());
    awaitText("hits-total", number(256));

    dashboard.close();
    awaitText("server-status", "reconnecting…");
    publish(window(1), TestWindows.json(window(1), TestWindows.flat(2, 2, 2, 2), 0));
    dashboard = startDashboard(port);
    awaitText("server-status", "live");
    awaitText("hits-total", number(512));
    publish(window(2), TestWindows.json(window(2), TestWindows.flat(3, 3, 3, 3), 0));
    awaitText("hits-total", number(768));
  }

  @Test
  public void thePageSaysWhenKafkaIsDownAndShowsNewWindowsOnceItIsBack() throws Exception {
    Topics.ensure(kafka.bootstrapServers(), Map.of(topic, 1));
    publish(window(0), TestWindows.json(window(0), TestWindows.flat(1, 1, 1, 1), 0));
    dashboard = startDashboard(0);
    browser = HeadlessChromium.start();
    browser.driver.get(pageUrl());
    awaitText("hits-total", number(256));

    kafka.stop();
    awaitText("kafka-status", "unreachable");
    assertTrue(text("problem"), text("problem").contains("Kafka is not reachable"));
    assertEquals("still serving", "live", text("server-status"));
    assertEquals(200, get("/api/health").statusCode());

    kafka = LocalKafka.start(brokerDir, brokerPort, controllerPort);
    publish(window(1), TestWindows.json(window(1), TestWindows.flat(4, 4, 4, 4), 0));
    awaitText("hits-total", number(1024));
    awaitText("kafka-status", "connected");
  }

  /**
   * Windows with a time box in every chamber, chamber 2's 15 ns late and chamber 1's layers at
   * 60 %: the API's fits and the page's fitted time boxes, values and trend show them.
   */
  @Test
  public void thePageShowsTheFitsOfTheRollingAndTheCumulativeView() throws Exception {
    Topics.ensure(kafka.bootstrapServers(), Map.of(topic, 1));
    double[] t0 = {0, 0, 15, 0};
    long[] found = {95, 60, 95, 95};
    for (int i = 0; i < 16; i++) {
      publish(window(i), TestWindows.withPhysics(TestWindows.message(window(i), TestWindows.flat(5, 5, 5, 5), 0), i, 400, t0, found).toString());
    }
    dashboard = startDashboard(0);
    awaitHealth(h -> h.path("windowsInHistory").asInt() == 16);

    JsonNode rolling = JSON.readTree(get("/api/quality?view=rolling").body());
    assertEquals(12, rolling.path("windows").asInt());
    assertEquals(16, rolling.path("trend").size());
    JsonNode cumulative = JSON.readTree(get("/api/quality").body());
    assertEquals(16, cumulative.path("windows").asInt());
    double t0Chamber0 = cumulative.at("/chambers/0/quality/timeBox/t0Ns").asDouble();
    assertEquals(15, cumulative.at("/chambers/2/quality/timeBox/t0Ns").asDouble() - t0Chamber0, 1.5);
    assertEquals(0.6, cumulative.at("/chambers/1/quality/layerEfficiency/3/efficiency").asDouble(), 1e-9);
    assertEquals(4, JSON.readTree(get("/api/quality?view=cumulative&since=" + window(12)).body()).path("windows").asInt());
    assertEquals(400, get("/api/quality?since=yesterday").statusCode());
    // the alarms: chamber 2's t0 and chamber 1's four layers fire, nothing else
    java.util.Set<String> firing = new java.util.TreeSet<>();
    JSON.readTree(get("/api/alarms").body()).forEach(a -> {
      if (a.path("state").asText().equals("firing")) {
        firing.add(a.path("id").asText());
      }
    });
    assertEquals(java.util.Set.of("t0/2", "efficiency/1/L1", "efficiency/1/L2", "efficiency/1/L3", "efficiency/1/L4"), firing);

    browser = HeadlessChromium.start();
    browser.driver.get(pageUrl());
    String chamber2 = "return document.querySelectorAll('.chamber')[2].querySelector('[data-quality=timing]').textContent";
    try {
      browser.waiting(PATIENCE).until(d -> String.valueOf(browser.script(chamber2)).startsWith("t0 1"));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("chamber 2's fit shows '" + browser.script(chamber2) + "'", e);
    }
    String fit = String.valueOf(browser.script(chamber2));
    assertTrue(fit, fit.matches("t0 1[3-7]\\.\\d ± \\d\\.\\d ns · Tmax 3(8[5-9]|9[0-5])\\.\\d ± \\d\\.\\d ns · v 5[34]\\.\\d µm/ns"));
    assertEquals("rolling", browser.script("return document.body.dataset.qualityView"));
    String efficiency = String.valueOf(browser.script(
        "return document.querySelectorAll('.chamber')[1].querySelector('[data-quality=efficiency]').textContent"));
    assertEquals("efficiency L1 60.0 % · L2 60.0 % · L3 60.0 % · L4 60.0 %", efficiency);
    String timeBox = "return Chart.getChart(document.querySelectorAll('.chamber')[0].querySelector('canvas[data-plot=timebox]'))";
    assertEquals(240L, browser.script(timeBox + ".data.datasets[0].data.length"));
    assertEquals(240L, browser.script(timeBox + ".data.datasets[1].data.length"));
    assertEquals(16L, browser.script("return Chart.getChart('trend-chart').data.datasets[2].data.length"));
    browser.waiting(PATIENCE).until(d -> "light alarm".equals(d.findElement(By.id("light-2")).getAttribute("class")));
    assertEquals("light ok", browser.driver.findElement(By.id("light-0")).getAttribute("class"));
    assertEquals("light alarm", browser.driver.findElement(By.id("light-1")).getAttribute("class"));
    assertEquals("light ok", browser.driver.findElement(By.id("light-3")).getAttribute("class"));
    browser.waiting(PATIENCE).until(d -> d.findElement(By.id("journal-list")).getText().contains("t0: chamber 2: t0 1"));
    assertEquals(5, browser.driver.findElements(By.cssSelector("#journal-list li.alarm")).size());
    assertTrue(browser.screenshot("quality").toFile().length() > 10_000);

    browser.driver.findElement(By.id("mode-cumulative")).click();
    browser.waiting(PATIENCE).until(d -> "cumulative".equals(browser.script("return document.body.dataset.qualityView")));
    String scope = String.valueOf(browser.script("return document.querySelector('.chamber .fit-scope').textContent"));
    assertEquals("(cumulative, 16 windows)", scope);

    // every transition on the alarm topic, once; a restarted dashboard goes on from it
    List<JsonNode> published = alarmTopic(5);
    assertEquals(firing, published.stream().map(a -> a.path("id").asText()).collect(java.util.stream.Collectors.toSet()));
    String journal = get("/api/alarms").body();
    dashboard.close();
    dashboard = startDashboard(0);
    awaitHealth(h -> h.path("windowsInHistory").asInt() == 16);
    assertEquals(JSON.readTree(journal), JSON.readTree(get("/api/alarms").body()));
    Thread.sleep(1_000);
    assertEquals("nothing published twice", 5, alarmTopic(5).size());
  }

  /**
   * A broker that refuses the alarm topic (here: a name it does not take; an ACL refuses alike)
   * does not hold the windows back: they are read and judged, and health says why nothing is
   * published.
   */
  @Test
  public void aRefusedAlarmTopicLeavesTheWindowsFlowing() throws Exception {
    Topics.ensure(kafka.bootstrapServers(), Map.of(topic, 1));
    for (int i = 0; i < 3; i++) {
      publish(window(i), TestWindows.json(window(i), TestWindows.flat(1, 1, 1, 1), 0));
    }
    dashboard = startDashboard(0, "no spaces allowed");
    JsonNode health = awaitHealth(h -> h.path("windowsInHistory").asInt() == 3);
    assertTrue(health.toString(), health.path("alarmTopicProblem").asText().startsWith("the broker refuses the alarm topic no spaces allowed"));
    assertEquals("ok", health.path("status").asText());
    assertEquals(200, get("/api/alarms").statusCode());
  }

  /** The records of the alarm topic, once it holds at least {@code atLeast}. */
  private List<JsonNode> alarmTopic(int atLeast) throws Exception {
    return AlarmTopicRecords.read(kafka.bootstrapServers(), topic + ".alarms", atLeast, PATIENCE);
  }

  private Dashboard startDashboard(int port) {
    return startDashboard(port, topic + ".alarms");
  }

  private Dashboard startDashboard(int port, String alarmTopic) {
    Dashboard started = new Dashboard();
    new picocli.CommandLine(started).parseArgs(
        "--port=" + port, "--inputTopic=" + topic, "--bootstrapServers=127.0.0.1:" + brokerPort, "--alarmWindows=12",
        "--alarmTopic=" + alarmTopic);
    return started.start();
  }

  private Instant window(int i) {
    return firstStart.plus(TestWindows.LENGTH.multipliedBy(i));
  }

  private void publish(Instant key, String value) throws Exception {
    publish(key.toString(), value);
  }

  private void publish(String key, String value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get();
  }

  private String pageUrl() {
    return "http://127.0.0.1:" + dashboard.port() + "/";
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboard.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode awaitHealth(java.util.function.Predicate<JsonNode> condition) throws Exception {
    Instant deadline = Instant.now().plus(PATIENCE);
    JsonNode health = null;
    while (Instant.now().isBefore(deadline)) {
      health = JSON.readTree(get("/api/health").body());
      if (condition.test(health)) {
        return health;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("health never got there: " + health);
  }

  private static List<String> channels(JsonNode alarms) {
    List<String> channels = new java.util.ArrayList<>();
    alarms.forEach(a -> channels.add(a.path("chamber").asInt() + "/" + a.path("channel").asInt()));
    return channels;
  }

  private void awaitText(String id, String expected) {
    try {
      browser.waiting(PATIENCE).until(d -> expected.equals(d.findElement(By.id(id)).getText()));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("#" + id + " shows '" + text(id) + "', expected '" + expected + "'", e);
    }
  }

  private String text(String id) {
    return browser.driver.findElement(By.id(id)).getText();
  }

  /** The total hits of a window of flat occupancies, plus unmapped hits and a correction. */
  private static String total(long[][] flat, long unmapped, long correction) {
    return number(java.util.Arrays.stream(flat).flatMapToLong(java.util.Arrays::stream).sum() + unmapped + correction);
  }

  private static String number(long value) {
    return String.format(java.util.Locale.US, "%,d", value);
  }
}
