package io.dtstream.dashboard;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtstream.contract.kafka.Topics;
import io.dtstream.local.LocalKafka;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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

/**
 * The dashboard with {@code --tlsKeystore} and {@code --authTokenFile}, run as a command in a
 * process of its own (so that everything it prints and logs is in one file): HTTPS and WSS only,
 * and nothing without the token, from an HTTP client and in a browser. After each test its log
 * holds neither the token, nor the keystore's password, nor a wrong token typed into the form.
 */
public class DashboardAccessTest {
  @ClassRule public static final TemporaryFolder TEMP = new TemporaryFolder();
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "token-" + UUID.randomUUID();
  private static final String PASSWORD = "password-" + UUID.randomUUID();
  private static final String WRONG = "wrong-" + UUID.randomUUID();
  private static final String TOPIC = "results-access";
  private static final Pattern STARTED = Pattern.compile("dtstream dashboard: https://127\\.0\\.0\\.1:(\\d+)/ .*a token is required");

  private static LocalKafka kafka;
  private static Process dashboard;
  private static Path output;
  private static int port;
  private static HttpClient http;

  private HeadlessChromium browser;

  @BeforeClass
  public static void startBrokerAndDashboard() throws Exception {
    TestKeystore keystore = TestKeystore.create(TEMP.newFolder("tls").toPath(), PASSWORD);
    Path tokenFile = Files.writeString(TEMP.getRoot().toPath().resolve("token"), TOKEN + "\n");
    kafka = LocalKafka.startForTest(TEMP.newFolder("kafka").toPath());
    Topics.ensure(kafka.bootstrapServers(), Map.of(TOPIC, 1));
    output = TEMP.getRoot().toPath().resolve("dashboard.out");
    ProcessBuilder command = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Dashboard.class.getName(),
        "--port=0", "--inputTopic=" + TOPIC, "--alarmTopic=" + TOPIC + ".alarms", "--bootstrapServers=" + kafka.bootstrapServers(),
        "--tlsKeystore=" + keystore.keystore(), "--tlsKeystorePasswordFile=" + keystore.passwordFile(),
        "--authTokenFile=" + tokenFile)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile());
    // The libraries' info too (Jetty's, Kafka's): more that could give a credential away.
    command.environment().put("DTSTREAM_LOG_LEVEL", "info");
    dashboard = command.start();
    port = awaitStart();
    http = HttpClient.newBuilder()
        .sslContext(keystore.trustingIt())
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(PATIENCE)
        .build();
  }

  @AfterClass
  public static void stopDashboardAndBroker() throws Exception {
    if (dashboard != null) {
      dashboard.destroy();
      dashboard.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }
    if (kafka != null) {
      kafka.stop();
    }
  }

  @After
  public void nothingPrintedOrLoggedTheCredentials() throws Exception {
    if (browser != null) {
      browser.close();
    }
    String log = Files.readString(output);
    assertFalse("the token in the output:\n" + log, log.contains(TOKEN));
    assertFalse("the keystore's password in the output:\n" + log, log.contains(PASSWORD));
    assertFalse("a wrong token in the output:\n" + log, log.contains(WRONG));
  }

  @Test
  public void withoutTheTokenEverythingIs401() throws Exception {
    for (String path : List.of("/", "/api/health", "/api/windows", "/api/alarms", "/metrics", "/js/main.js", "/css/dashboard.css")) {
      HttpResponse<String> response = send(request(path));
      assertEquals(path, 401, response.statusCode());
      assertEquals(path, "Bearer", response.headers().firstValue("WWW-Authenticate").orElse(""));
      assertFalse(path, response.body().contains("dtstream"));
    }
    HttpResponse<String> page = send(request("/").header("Accept", "text/html"));
    assertEquals(401, page.statusCode());
    assertTrue("a browser gets the login form: " + page.body(), page.body().contains("<form method=\"post\" action=\"/login\">"));
    assertEquals(401, send(request("/api/health").header("Authorization", "Bearer " + WRONG)).statusCode());
    assertEquals(401, send(request("/api/health").header("Authorization", "Basic " + TOKEN)).statusCode());
  }

  @Test
  public void theBearerHeaderOpensTheApiAndTheMetrics() throws Exception {
    HttpResponse<String> health = send(request("/api/health").header("Authorization", "Bearer " + TOKEN));
    assertEquals(200, health.statusCode());
    assertTrue(health.body(), JSON.readTree(health.body()).path("status").isTextual());
    HttpResponse<String> metrics = send(request("/metrics").header("Authorization", "bearer " + TOKEN));
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.body().contains("jvm_"));
  }

  @Test
  public void theLoginFormSetsACookieThatOpensThePage() throws Exception {
    HttpResponse<String> form = send(request("/login"));
    assertEquals(200, form.statusCode());
    assertTrue(form.body().contains("name=\"token\""));

    HttpResponse<String> wrong = send(login(WRONG));
    assertEquals(401, wrong.statusCode());
    assertTrue(wrong.body(), wrong.body().contains("That is not the token."));
    assertFalse("the typed token reflected", wrong.body().contains(WRONG));
    assertEquals(List.of(), wrong.headers().allValues("Set-Cookie"));

    String cookie = loginCookie();
    HttpResponse<String> page = send(request("/").header("Cookie", cookie));
    assertEquals(200, page.statusCode());
    assertTrue(page.body().contains("<title>dtstream"));
    assertEquals(200, send(request("/api/health").header("Cookie", cookie)).statusCode());
    assertEquals(200, send(request("/js/main.js").header("Cookie", cookie)).statusCode());
    assertEquals(401, send(request("/api/health").header("Cookie", Access.COOKIE + "=" + TOKEN)).statusCode());
  }

  @Test
  public void plainHttpOnTheTlsPortGetsNoPage() throws Exception {
    HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health"))
        .header("Authorization", "Bearer " + TOKEN).timeout(PATIENCE).build();
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(plain, HttpResponse.BodyHandlers.ofString());
      assertNotEquals(200, response.statusCode());
      assertFalse(response.body(), response.body().contains("status"));
    } catch (IOException expected) {
      // the TLS port hangs up on plain HTTP
    }
  }

  @Test
  public void theWebSocketOpensWithTheTokenOnly() throws Exception {
    assertRefused(http.newWebSocketBuilder());
    assertRefused(http.newWebSocketBuilder().header("Authorization", "Bearer " + WRONG));
    assertEquals("snapshot", firstMessage(http.newWebSocketBuilder().header("Authorization", "Bearer " + TOKEN)));
    assertEquals("snapshot", firstMessage(http.newWebSocketBuilder().header("Cookie", loginCookie())));
  }

  @Test
  public void inTheBrowserTheLoginLeadsToThePageAndItsLiveUpdates() throws Exception {
    Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(5));
    try (KafkaProducer<String, String> producer = producer()) {
      publish(producer, start, TestWindows.flat(1, 2, 3, 4), 5);
      browser = HeadlessChromium.start("--ignore-certificate-errors");
      browser.driver.get("https://127.0.0.1:" + port + "/");
      browser.driver.findElement(By.id("token")).sendKeys(WRONG);
      browser.driver.findElement(By.id("login")).click();
      browser.waiting(PATIENCE).until(d -> "That is not the token.".equals(d.findElement(By.id("login-message")).getText()));

      browser.driver.findElement(By.id("token")).sendKeys(TOKEN);
      browser.driver.findElement(By.id("login")).click();
      awaitText("server-status", "live");
      assertEquals("https://127.0.0.1:" + port + "/", browser.driver.getCurrentUrl());
      awaitText("hits-total", String.format(java.util.Locale.US, "%,d", 64 * 10 + 5));

      // A new window reaches the page over the WebSocket (wss: the page is on https).
      publish(producer, start.plus(TestWindows.LENGTH), TestWindows.flat(10, 20, 30, 40), 7);
      awaitText("hits-total", String.format(java.util.Locale.US, "%,d", 64 * 100 + 7));
      assertEquals("connected", browser.driver.findElement(By.id("kafka-status")).getText());
    }
  }

  /** The port of the start-up line, which must give an https address. */
  private static int awaitStart() throws Exception {
    Instant deadline = Instant.now().plus(PATIENCE);
    while (Instant.now().isBefore(deadline)) {
      String printed = Files.readString(output);
      Matcher started = STARTED.matcher(printed);
      if (started.find()) {
        return Integer.parseInt(started.group(1));
      }
      if (!dashboard.isAlive()) {
        fail("the dashboard stopped (exit " + dashboard.exitValue() + "):\n" + printed);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no start-up line with https within " + PATIENCE + ":\n" + Files.readString(output));
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path)).timeout(PATIENCE);
  }

  private static HttpRequest.Builder login(String token) {
    return request(Access.LOGIN)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("token=" + java.net.URLEncoder.encode(token, StandardCharsets.UTF_8)));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Logs in with the form; checks the cookie's attributes and returns it as a Cookie header's value. */
  private static String loginCookie() throws Exception {
    HttpResponse<String> right = send(login(TOKEN));
    assertEquals(303, right.statusCode());
    assertEquals("/", right.headers().firstValue("Location").orElse(""));
    String setCookie = right.headers().firstValue("Set-Cookie").orElseThrow();
    for (String attribute : List.of("HttpOnly", "SameSite=Strict", "Secure", "Path=/")) {
      assertTrue(setCookie, List.of(setCookie.split(";\\s*")).contains(attribute));
    }
    String cookie = setCookie.split(";")[0];
    assertTrue(cookie, cookie.startsWith(Access.COOKIE + "=") && !cookie.contains(TOKEN));
    return cookie;
  }

  private static void assertRefused(WebSocket.Builder builder) throws Exception {
    try {
      builder.buildAsync(live(), new WebSocket.Listener() {}).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      fail("the WebSocket opened without the token");
    } catch (ExecutionException e) {
      assertTrue(String.valueOf(e.getCause()), e.getCause() instanceof WebSocketHandshakeException);
      assertEquals(401, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    }
  }

  /** The type of the first message on {@code /live}. */
  private static String firstMessage(WebSocket.Builder builder) throws Exception {
    BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    WebSocket socket = builder.buildAsync(live(), new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          messages.add(partial.toString());
          partial.setLength(0);
        }
        webSocket.request(1);
        return null;
      }
    }).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    try {
      String first = messages.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertTrue("no message on /live", first != null);
      return JSON.readTree(first).path("type").asText();
    } finally {
      socket.abort();
    }
  }

  private static URI live() {
    return URI.create("wss://127.0.0.1:" + port + "/live?windows=5");
  }

  private static KafkaProducer<String, String> producer() {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  private static void publish(KafkaProducer<String, String> producer, Instant start, long[][] occupancy, long unmapped) throws Exception {
    producer.send(new ProducerRecord<>(TOPIC, start.toString(), TestWindows.json(start, occupancy, unmapped))).get();
  }

  private void awaitText(String id, String expected) {
    try {
      browser.waiting(PATIENCE).until(d -> expected.equals(d.findElement(By.id(id)).getText()));
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError("#" + id + " shows '" + browser.driver.findElement(By.id(id)).getText() + "', expected '" + expected + "'", e);
    }
  }
}
