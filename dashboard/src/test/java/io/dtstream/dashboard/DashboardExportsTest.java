package io.dtstream.dashboard;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtstream.contract.kafka.Topics;
import io.dtstream.local.LocalKafka;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
import org.openqa.selenium.JavascriptExecutor;

/**
 * The page's CSV and ROOT JSON downloads against a real broker and dashboard in headless
 * chromium: the CSV rows are the published windows' bins (latest, and summed for cumulative),
 * and JSROOT, from its npm package (target/npm, see the pom), reads the ROOT JSON back to the
 * same bins and draws it.
 */
public class DashboardExportsTest {
  @ClassRule public static final TemporaryFolder TEMP = new TemporaryFolder();
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));
  private static final Path JSROOT = BASEDIR.resolve("target/npm/node_modules/jsroot");
  private static final List<String> HISTOGRAMS = List.of("occupancy", "activeChannelsPerOrbit", "scintillatorOccupancy", "driftTime");
  private static final String HEADER = "window_start,chamber,histogram,bin_low,bin_high,count";
  private static final Pattern ROOT_NAME = Pattern.compile("chamber(\\d)_(\\w+)");
  private static final String TOPIC = "results-exports";

  private static LocalKafka kafka;
  private static KafkaProducer<String, String> producer;

  /** Window starts in the recent past: the dashboard reads back the last hour of the topic. */
  private final Instant firstStart = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(10));
  private Dashboard dashboard;
  private HeadlessChromium browser;
  private Javalin jsrootServer;

  @BeforeClass
  public static void startBroker() throws Exception {
    kafka = LocalKafka.startForTest(TEMP.newFolder("kafka").toPath());
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    Topics.ensure(kafka.bootstrapServers(), Map.of(TOPIC, 1));
  }

  @AfterClass
  public static void stopBroker() {
    producer.close(Duration.ofSeconds(5));
    kafka.stop();
  }

  @After
  public void stopEverything() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (dashboard != null) {
      dashboard.close();
    }
    if (jsrootServer != null) {
      jsrootServer.stop();
    }
  }

  @Test
  public void theCsvAndTheRootJsonHoldTheShownBinsAndJsrootDrawsThem() throws Exception {
    // Three windows whose occupancies, drift-time bins and drift-time outside counts all differ.
    List<ObjectNode> published = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      long[][] occupancy = TestWindows.flat(1 + 4 * i, 2 + 4 * i, 3 + 4 * i, 4 + 4 * i);
      occupancy[i][5 + i] = 50 + i;
      ObjectNode message = TestWindows.message(window(i), occupancy, 0);
      for (int c = 0; c < 4; c++) {
        ObjectNode drift = (ObjectNode) message.path("chambers").get(c).path("driftTime");
        drift.put("underflow", 10 * i + c + 1).put("overflow", 100 + 10 * i + c);
        ((ArrayNode) drift.path("counts")).set(i, 1000 + c);
      }
      published.add(message);
      producer.send(new ProducerRecord<>(TOPIC, window(i).toString(), message.toString())).get();
    }
    dashboard = startDashboard();
    browser = HeadlessChromium.start();
    browser.driver.get("http://127.0.0.1:" + dashboard.port() + "/");
    awaitHits(hits(published.subList(2, 3)));

    Map<String, Object> latestCsv = download("download-csv");
    Map<String, Object> latestRoot = download("download-root");
    assertEquals("dtstream-latest-" + stamp(window(2)) + ".csv", latestCsv.get("name"));
    assertEquals("dtstream-latest-" + stamp(window(2)) + ".root.json", latestRoot.get("name"));
    List<String> latestRows = csvRows((String) latestCsv.get("text"), window(2));
    assertEquals(expectedRows(published.subList(2, 3)), latestRows);

    browser.driver.findElement(By.id("mode-cumulative")).click();
    awaitHits(hits(published));
    Map<String, Object> cumulativeCsv = download("download-csv");
    Map<String, Object> cumulativeRoot = download("download-root");
    assertEquals("dtstream-cumulative-" + stamp(window(0)) + ".root.json", cumulativeRoot.get("name"));
    List<String> cumulativeRows = csvRows((String) cumulativeCsv.get("text"), window(0));
    assertEquals(expectedRows(published), cumulativeRows);

    // JSROOT reads both ROOT files back to the CSV's bins, and draws a histogram.
    openJsroot();
    assertEquals(latestRows, rootRows(jsrootParse((String) latestRoot.get("text"))));
    List<Map<String, Object>> cumulative = jsrootParse((String) cumulativeRoot.get("text"));
    assertEquals(cumulativeRows, rootRows(cumulative));
    Map<String, Object> occupancy = cumulative.get(0);
    assertEquals("chamber0_occupancy", occupancy.get("name"));
    assertEquals(List.of("Chamber 0 occupancy", "channel", "hits"),
        List.of(occupancy.get("title"), occupancy.get("xTitle"), occupancy.get("yTitle")));
    assertEquals("equal bins: no edges listed", List.of(), occupancy.get("xbins"));
    String drawn = jsrootDraw((String) cumulativeRoot.get("text"), "chamber3_driftTime");
    assertTrue(drawn, drawn.contains("Chamber 3 drift time") && drawn.contains("drift time (ns)"));
    browser.screenshot("jsroot-drift-time");
  }

  /** Bins of unequal width (none in the results message yet) list their edges on the axis. */
  @Test
  public void unequalBinsListTheirEdges() throws Exception {
    browser = HeadlessChromium.start();
    openJsroot();
    String edges = "[0, 1, 3, 7]";
    String data = "{ mode: 'latest', from: 0, results: { binEdges: { occupancy: " + edges + ", activeChannelsPerOrbit: " + edges
        + ", scintillatorOccupancy: " + edges + ", driftTime: [-1, 0, 2.5, 10] }, chambers: [{ chamber: 2, occupancy: [1, 2, 3],"
        + " activeChannelsPerOrbit: [4, 5, 6], scintillatorOccupancy: [0, 0, 1], driftTime: [7, 8, 9],"
        + " driftTimeUnderflow: 10, driftTimeOverflow: 11 }] } }";
    @SuppressWarnings("unchecked")
    Map<String, Object> files = (Map<String, Object>) asyncScript(
        "const exported = await import('/dashboard/js/export.js');"
            + "done({ csv: exported.histogramsCsv(" + data + "), root: exported.rootJson(" + data + ") });");
    List<String> rows = csvRows((String) files.get("csv"), Instant.EPOCH);
    assertEquals(List.of("2,driftTime,-inf,-1,10", "2,driftTime,-1,0,7", "2,driftTime,0,2.5,8", "2,driftTime,2.5,10,9",
        "2,driftTime,10,inf,11"), rows.subList(9, 14));
    List<Map<String, Object>> histograms = jsrootParse((String) files.get("root"));
    assertEquals(List.of(0L, 1L, 3L, 7L), histograms.get(0).get("xbins"));
    assertEquals(List.of(-1L, 0L, 2.5, 10L), histograms.get(3).get("xbins"));
    assertEquals(rows, rootRows(histograms));
  }

  private Dashboard startDashboard() {
    Dashboard started = new Dashboard();
    new picocli.CommandLine(started).parseArgs("--port=0", "--inputTopic=" + TOPIC,
        "--bootstrapServers=" + kafka.bootstrapServers(), "--alarmTopic=" + TOPIC + ".alarms");
    return started.start();
  }

  private Instant window(int i) {
    return firstStart.plus(TestWindows.LENGTH.multipliedBy(i));
  }

  /** An instant as the page names its files: toISOString without ':' and '.'. */
  private static String stamp(Instant instant) {
    return DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC).format(instant);
  }

  private static long hits(List<ObjectNode> messages) {
    return messages.stream().mapToLong(m -> m.path("counts").path("hits").asLong()).sum();
  }

  private void awaitHits(long total) {
    String expected = String.format(Locale.US, "%,d", total);
    browser.waiting(PATIENCE).until(d -> expected.equals(d.findElement(By.id("hits-total")).getText()));
  }

  /** Clicks a download button and reads the file the page hands to the browser: its name and text. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> download(String button) {
    return (Map<String, Object>) asyncScript(
        "HTMLAnchorElement.prototype.click = function () {"
            + "  const name = this.download;"
            + "  fetch(this.href).then(r => r.text()).then(text => done({ name, text }));"
            + "};"
            + "document.getElementById(arguments[0]).click();", button);
  }

  /** The CSV's rows without their window_start, after checking the header and that column. */
  private static List<String> csvRows(String csv, Instant windowStart) {
    assertTrue("ends with a newline", csv.endsWith("\n"));
    List<String> lines = List.of(csv.split("\n"));
    assertEquals(HEADER, lines.get(0));
    List<String> rows = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] startAndRest = line.split(",", 2);
      assertEquals(line, windowStart, Instant.parse(startAndRest[0]));
      rows.add(startAndRest[1]);
    }
    return rows;
  }

  /**
   * What the CSV must hold, worked out from the published messages: chamber by chamber and
   * histogram by histogram, each bin's counts summed over the messages, the drift time's
   * underflow first and its overflow last.
   */
  private static List<String> expectedRows(List<ObjectNode> messages) {
    List<String> rows = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      for (String histogram : HISTOGRAMS) {
        JsonNode edges = messages.get(0).path("chambers").get(c).path(histogram).path("binEdges");
        long[] counts = new long[edges.size() - 1];
        long underflow = 0;
        long overflow = 0;
        for (ObjectNode message : messages) {
          JsonNode h = message.path("chambers").get(c).path(histogram);
          for (int k = 0; k < counts.length; k++) {
            counts[k] += h.path("counts").get(k).asLong();
          }
          underflow += h.path("underflow").asLong();
          overflow += h.path("overflow").asLong();
        }
        String prefix = c + "," + histogram + ",";
        boolean outside = histogram.equals("driftTime");
        if (outside) {
          rows.add(prefix + "-inf," + edges.get(0).asText() + "," + underflow);
        }
        for (int k = 0; k < counts.length; k++) {
          rows.add(prefix + edges.get(k).asText() + "," + edges.get(k + 1).asText() + "," + counts[k]);
        }
        if (outside) {
          rows.add(prefix + edges.get(counts.length).asText() + ",inf," + overflow);
        }
      }
    }
    return rows;
  }

  /**
   * A page of a small server on JSROOT's npm package (its modules at /modules), which also
   * serves the dashboard's page sources at /dashboard.
   */
  private void openJsroot() {
    assertTrue("no JSROOT at " + JSROOT + "; `mvn -pl dashboard generate-test-resources` installs it with npm",
        Files.isRegularFile(JSROOT.resolve("modules/main.mjs")));
    jsrootServer = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jetty.host = "127.0.0.1";
      config.jetty.port = 0;
      config.staticFiles.add(JSROOT.toString(), Location.EXTERNAL);
      config.staticFiles.add(files -> {
        files.hostedPath = "/dashboard";
        files.directory = BASEDIR.resolve("src/main/resources/public").toString();
        files.location = Location.EXTERNAL;
      });
      config.routes.get("/exports-test", ctx -> ctx.html(
          "<!doctype html><html><body><div id=\"drawing\" style=\"width: 800px; height: 500px\"></div></body></html>"));
    }).start();
    browser.driver.get("http://127.0.0.1:" + jsrootServer.port() + "/exports-test");
  }

  /** JSROOT's parse of a ROOT JSON file: the list's histograms as JSROOT reads them. */
  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> jsrootParse(String rootJson) {
    Map<String, Object> parsed = (Map<String, Object>) asyncScript(
        "const JSROOT = await import('/modules/main.mjs');"
            + "const list = JSROOT.parse(arguments[0]);"
            + "done({ typename: list._typename, options: list.opt.length, histograms: list.arr.map(h => ({"
            + "  typename: h._typename, name: h.fName, title: h.fTitle, xTitle: h.fXaxis.fTitle, yTitle: h.fYaxis.fTitle,"
            + "  ncells: h.fNcells, cells: h.fArray.length, nbins: h.fXaxis.fNbins, xmin: h.fXaxis.fXmin, xmax: h.fXaxis.fXmax,"
            + "  xbins: Array.from(h.fXaxis.fXbins), entries: h.fEntries,"
            + "  contents: Array.from({ length: h.fNcells }, (_, bin) => h.getBinContent(bin)) })) });", rootJson);
    assertEquals("TList", parsed.get("typename"));
    List<Map<String, Object>> histograms = (List<Map<String, Object>>) parsed.get("histograms");
    assertEquals((long) histograms.size(), parsed.get("options"));
    return histograms;
  }

  /**
   * The rows of the CSV as JSROOT's histograms give them: bin k's edges from the axis (equal bins
   * from fXmin to fXmax, or fXbins) and its content from cell k + 1; the drift time's under- and
   * overflow from the first and last cell, the other histograms' empty.
   */
  private static List<String> rootRows(List<Map<String, Object>> histograms) {
    List<String> rows = new ArrayList<>();
    for (Map<String, Object> h : histograms) {
      Matcher name = ROOT_NAME.matcher((String) h.get("name"));
      assertTrue(h.get("name").toString(), name.matches());
      String what = h.get("name").toString();
      assertEquals(what, "TH1D", h.get("typename"));
      int bins = ((Number) h.get("nbins")).intValue();
      assertEquals(what + " fNcells", bins + 2L, h.get("ncells"));
      assertEquals(what + " fArray", bins + 2L, h.get("cells"));
      long[] contents = ((List<?>) h.get("contents")).stream().mapToLong(v -> ((Number) v).longValue()).toArray();
      assertEquals(what + " entries", Arrays.stream(contents).sum(), ((Number) h.get("entries")).longValue());
      double[] edges = edges(h, bins);
      String prefix = name.group(1) + "," + name.group(2) + ",";
      boolean outside = name.group(2).equals("driftTime");
      if (outside) {
        rows.add(prefix + "-inf," + edge(edges[0]) + "," + contents[0]);
      } else {
        assertEquals(what + " underflow and overflow", List.of(0L, 0L), List.of(contents[0], contents[bins + 1]));
      }
      for (int k = 0; k < bins; k++) {
        rows.add(prefix + edge(edges[k]) + "," + edge(edges[k + 1]) + "," + contents[k + 1]);
      }
      if (outside) {
        rows.add(prefix + edge(edges[bins]) + ",inf," + contents[bins + 1]);
      }
    }
    return rows;
  }

  private static double[] edges(Map<String, Object> h, int bins) {
    List<?> listed = (List<?>) h.get("xbins");
    if (!listed.isEmpty()) {
      assertEquals(bins + 1, listed.size());
      return listed.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }
    double min = ((Number) h.get("xmin")).doubleValue();
    double max = ((Number) h.get("xmax")).doubleValue();
    double[] edges = new double[bins + 1];
    for (int k = 0; k <= bins; k++) {
      edges[k] = min + k * (max - min) / bins;
    }
    return edges;
  }

  /** An edge as the page writes it (JavaScript's String(number)), for the edges used here. */
  private static String edge(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  /** JSROOT draws one histogram of a ROOT JSON file: the text of the SVG it makes. */
  private String jsrootDraw(String rootJson, String name) {
    return String.valueOf(asyncScript(
        "const JSROOT = await import('/modules/main.mjs');"
            + "const histogram = JSROOT.parse(arguments[0]).arr.find(h => h.fName === arguments[1]);"
            + "await JSROOT.draw(document.getElementById('drawing'), histogram, 'hist');"
            + "done(document.querySelector('#drawing svg')?.textContent ?? 'no SVG');", rootJson, name));
  }

  /**
   * Runs {@code script} in the page as the body of an async function, with {@code arguments} and
   * {@code done(value)}, which ends it with that value; what it throws fails the test.
   */
  private Object asyncScript(String script, Object... args) {
    Object result = ((JavascriptExecutor) browser.driver).executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "(async () => { " + script + " })().catch(e => done({ error: String(e) }));", args);
    if (result instanceof Map<?, ?> map && map.containsKey("error")) {
      throw new AssertionError("in the browser: " + map.get("error"));
    }
    return result;
  }
}
