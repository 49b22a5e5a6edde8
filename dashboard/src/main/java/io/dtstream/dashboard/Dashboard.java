package io.dtstream.dashboard;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.contract.kafka.Topics;
import io.dtstream.contract.metrics.MetricsEndpoint;
import io.dtstream.contract.model.Chambers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtstream.contract.kafka.KafkaClientConfig;
import io.javalin.Javalin;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.http.staticfiles.Location;
import io.javalin.websocket.WsConnectContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dtstream dashboard}: the live web page of the results topic. A Kafka consumer keeps the
 * latest windows in a bounded history; browsers get that history when they connect and every new
 * window as it arrives, over a WebSocket ({@code /live}); {@code /api/windows} and {@code
 * /api/health} answer the same in JSON, {@code /api/quality} each chamber's fits, {@code /metrics}
 * the meters in Prometheus's format. The page and its chart library are served from the jar.
 * With {@code --tlsKeystore} it serves HTTPS (and WSS) only; with {@code --authTokenFile} it
 * answers only requests that carry the token ({@link Access}).
 */
@Command(
    name = "dtstream dashboard",
    mixinStandardHelpOptions = true,
    description = "Serves the live dashboard of the per-window results on the results topic.")
public final class Dashboard implements Callable<Integer>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** How many unsent messages a browser may fall behind before it is disconnected. */
  private static final int MAX_UNSENT_PER_BROWSER = 64;
  /**
   * The largest message a client may send on {@code /live}. Browsers send none, and what arrives is
   * ignored; a larger one closes the connection (1009) instead of being buffered.
   */
  private static final int MAX_MESSAGE_FROM_BROWSER = 4096;

  @Option(names = "--port", description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
  int port = 7070;

  @Option(names = "--bind", description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
  String bind = "127.0.0.1";

  @Option(names = "--inputTopic", description = "The results topic it reads (default: ${DEFAULT-VALUE}).")
  String topic = Topics.RESULTS;

  @Option(names = "--bootstrapServers", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  String bootstrapServers = "127.0.0.1:9092";

  @Option(names = "--kafkaConfig",
      description = "A properties file of Kafka client settings (security, tuning); keys prefixed"
          + " consumer. apply to the consumer only.")
  String kafkaConfig = "";

  @Option(names = "--historyMinutes", description = "Minutes of windows kept, back from the newest (default: ${DEFAULT-VALUE}).")
  int historyMinutes = 60;

  @Option(names = "--maxWindows", description = "Most windows kept, whatever their span (default: ${DEFAULT-VALUE}).")
  int maxWindows = 3600;

  @Option(names = "--alarmWindows", description = "Windows the channel alarms look at (default: ${DEFAULT-VALUE}).")
  int alarmWindows = 12;

  @Option(names = "--noisyFactor", description = "A channel is noisy above this many times its chamber's median (default: ${DEFAULT-VALUE}).")
  double noisyFactor = 5;

  /** The option's name, as the validation's message names it. */
  static final String NOISY_HZ = "--noisyHz";

  @Option(names = NOISY_HZ,
      description = "A channel is noisy also above this rate: its hits over the windows the alarms look at, per second (default: ${DEFAULT-VALUE}).")
  double noisyHz = 500;

  @Option(names = "--deadMinMedianHits",
      description = "A channel without hits is dead only if its chamber's median channel has this many (default: ${DEFAULT-VALUE}).")
  long deadMinMedianHits = 10;

  @Option(names = "--qualityWindows",
      description = "Windows of the rolling quality view: its fits and quality tests (default: ${DEFAULT-VALUE}).")
  int qualityWindows = 12;

  @Option(names = "--alarmTopic", description = "The topic every alarm transition goes to, created if missing (default: ${DEFAULT-VALUE}).")
  String alarmTopic = Topics.ALARMS;

  @Option(names = "--alarmFireWindows", description = "Consecutive failing windows that fire an alarm (default: ${DEFAULT-VALUE}).")
  int alarmFireWindows = 3;

  @Option(names = "--alarmClearWindows", description = "Consecutive good windows that resolve it (default: ${DEFAULT-VALUE}).")
  int alarmClearWindows = 3;

  @Option(names = "--t0ToleranceNs", description = "The t0 alarm: |t0| above this, ns (default: ${DEFAULT-VALUE}).")
  double t0ToleranceNs = 5;

  @Option(names = "--tMaxToleranceNs", description = "The tMax alarm: Tmax off 390 ns by more than this (default: ${DEFAULT-VALUE}).")
  double tMaxToleranceNs = 10;

  @Option(names = "--minLayerEfficiency", description = "The efficiency alarm: a layer below this (default: ${DEFAULT-VALUE}).")
  double minLayerEfficiency = 0.90;

  @Option(names = "--reference",
      description = "An analyze --summary output of a known good run: the views are compared with it, t0 and Tmax judged against its fits.")
  Path referenceFile;

  @Option(names = "--tlsKeystore",
      description = "A PKCS12 or JKS keystore with the server's key and certificate: HTTPS (and WSS) only is served.")
  Path tlsKeystore;

  @Option(names = "--tlsKeystorePasswordFile", description = "A file whose first line is the keystore's password.")
  Path tlsKeystorePasswordFile;

  @Option(names = "--authTokenFile",
      description = "A file whose first line is a token every request must carry: typed into the login form, or sent as Authorization: Bearer TOKEN.")
  Path authTokenFile;

  /** A layer's efficiency is judged once it was tested this many times in the rolling view. */
  static final long MIN_TESTED = 100;

  private WindowHistory history;
  private QualityTrend trend;
  private AlarmJournal journal;
  private Reference reference;
  private AlarmTopic alarms;
  private LiveClients clients;
  private ResultsIngest ingest;
  private ResultsConsumer consumer;
  private ScheduledExecutorService statusTicker;
  private Javalin server;
  private DashboardMetrics metrics;
  /** With {@code --tlsKeystore}: the keystore, loaded and checked before anything starts. */
  private KeyStore keyStore;
  private String keyStorePassword;
  /** With {@code --authTokenFile}. */
  private Access access;

  /** Old option names, still taken. */
  static final Map<String, String> RENAMED = Map.of("--topic", "--inputTopic");

  public static void main(String[] args) {
    System.exit(CommandKit.execute("dtstream dashboard", new Dashboard(), args, RENAMED));
  }

  @Override
  public Integer call() throws InterruptedException {
    validate();
    CountDownLatch stopped = new CountDownLatch(1);
    try {
      start();
    } catch (RuntimeException e) {
      close();
      System.err.println("dtstream dashboard: cannot serve on " + bind + ":" + port + " (" + e.getMessage() + ")");
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      close();
      stopped.countDown();
    }));
    System.out.println("dtstream dashboard: " + url() + " (topic " + topic + " on " + bootstrapServers
        + (access == null ? "" : "; a token is required") + "; Ctrl-C stops)");
    stopped.await();
    return 0;
  }

  private void validate() {
    CommandLine cli = new CommandLine(this);
    try {
      KafkaClientConfig.load(kafkaConfig);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cli, e.getMessage());
    }
    if (port < 0 || port > 65_535) {
      throw new CommandLine.ParameterException(cli, "--port must be 0-65535, got " + port);
    }
    if (historyMinutes < 1 || maxWindows < 1) {
      throw new CommandLine.ParameterException(cli, "--historyMinutes and --maxWindows must be at least 1");
    }
    if (qualityWindows < 1 || alarmFireWindows < 1 || alarmClearWindows < 1) {
      throw new CommandLine.ParameterException(cli, "--qualityWindows, --alarmFireWindows and --alarmClearWindows must be at least 1");
    }
    if (!(t0ToleranceNs > 0) || !(tMaxToleranceNs > 0) || !(minLayerEfficiency >= 0 && minLayerEfficiency <= 1)) {
      throw new CommandLine.ParameterException(cli, "--t0ToleranceNs and --tMaxToleranceNs must be above 0, --minLayerEfficiency in 0..1");
    }
    if (alarmWindows < 1 || !(noisyFactor > 1) || deadMinMedianHits < 1) {
      throw new CommandLine.ParameterException(
          cli, "--alarmWindows and --deadMinMedianHits must be at least 1, --noisyFactor above 1");
    }
    if (!(noisyHz > 0)) {
      throw new CommandLine.ParameterException(cli, NOISY_HZ + " must be above 0, got " + noisyHz);
    }
    if (tlsKeystore != null && tlsKeystorePasswordFile == null) {
      throw new CommandLine.ParameterException(cli, "--tlsKeystore needs --tlsKeystorePasswordFile, a file whose first line is its password");
    }
    if (tlsKeystore == null && tlsKeystorePasswordFile != null) {
      throw new CommandLine.ParameterException(cli, "--tlsKeystorePasswordFile is for --tlsKeystore, which is missing");
    }
    try {
      // validate() runs for call() and again for start(): the files are read (and fitted) once
      if (referenceFile != null && reference == null) {
        reference = Reference.load(referenceFile);
      }
      if (tlsKeystore != null && keyStore == null) {
        keyStorePassword = Access.firstLine(tlsKeystorePasswordFile, "--tlsKeystorePasswordFile");
        keyStore = loadKeyStore(tlsKeystore, keyStorePassword, tlsKeystorePasswordFile);
      }
      if (authTokenFile != null && access == null) {
        access = new Access(Access.token(authTokenFile), tlsKeystore != null);
      }
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cli, e.getMessage());
    }
  }

  /** Starts the consumer and the web server; returns at once. */
  public Dashboard start() {
    validate();
    metrics = new DashboardMetrics();
    history = new WindowHistory(Duration.ofMinutes(historyMinutes), maxWindows);
    clients = new LiveClients(MAX_UNSENT_PER_BROWSER);
    trend = new QualityTrend(maxWindows);
    KafkaClientConfig kafkaClients = KafkaClientConfig.load(kafkaConfig);
    alarms = new AlarmTopic(bootstrapServers, kafkaClients, alarmTopic);
    journal = new AlarmJournal(alarmFireWindows, alarmClearWindows, 1_000, alarms::publish);
    ingest = new ResultsIngest(history, new QualityAlarms(alarmWindows, noisyFactor, noisyHz, deadMinMedianHits), trend, qualityWindows,
        new QualityTests(t0ToleranceNs, tMaxToleranceNs, minLayerEfficiency, MIN_TESTED), journal, reference,
        window -> {
          metrics.windowReceived(window);
          clients.broadcast(json(Map.of("type", "window", "window", window)));
        });
    server = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jetty.host = bind;
      config.jetty.port = port;
      if (keyStore != null) {
        // A connector of our own replaces Javalin's plain HTTP one: HTTPS only on --port.
        config.jetty.addConnector(this::httpsConnector);
      }
      if (access != null) {
        config.routes.before(access::check);
        config.routes.get(Access.LOGIN, access::showForm);
        config.routes.post(Access.LOGIN, access::login);
      }
      config.staticFiles.add("/public", Location.CLASSPATH);
      config.staticFiles.enableWebjars();
      config.jetty.modifyWebSocketServletFactory(factory -> {
        factory.setMaxTextMessageSize(MAX_MESSAGE_FROM_BROWSER);
        factory.setMaxBinaryMessageSize(MAX_MESSAGE_FROM_BROWSER);
        factory.setMaxFrameSize(MAX_MESSAGE_FROM_BROWSER);
      });
      config.routes.get("/api/windows", this::windows);
      config.routes.get("/api/health", ctx -> respond(ctx, health()));
      config.routes.get("/api/quality", this::quality);
      config.routes.get("/api/alarms", ctx -> respond(ctx, journal.journal()));
      config.routes.get("/metrics", ctx -> ctx.contentType(MetricsEndpoint.CONTENT_TYPE).result(metrics.scrape()));
      config.routes.get("/api/geometry", ctx -> respond(ctx, Geometry.CHAMBER));
      // Jetty turns down a bad WebSocket handshake (no key, say) by throwing its 4xx, which Javalin
      // would answer with a 500 and a logged stack trace.
      config.routes.exception(HttpException.IllegalArgumentException.class, Dashboard::rejectedByJetty);
      config.routes.exception(HttpException.IllegalStateException.class, Dashboard::rejectedByJetty);
      config.routes.exception(HttpException.RuntimeException.class, Dashboard::rejectedByJetty);
      // A query that is not UTF-8 makes the upgrade throw with no status at all: refuse it first.
      config.routes.wsBeforeUpgrade("/live", ctx -> {
        if (access != null && !access.allows(ctx)) {
          throw new UnauthorizedResponse("a token is required");
        }
        if (!isPercentEncodedUtf8(ctx.queryString())) {
          throw new BadRequestResponse("the query is not percent-encoded UTF-8");
        }
      });
      config.routes.ws("/live", ws -> {
        ws.onConnect(this::browserConnected);
        ws.onClose(clients::disconnected);
        ws.onError(clients::disconnected);
      });
    }).start();
    consumer =
        new ResultsConsumer(
            bootstrapServers, kafkaClients.consumer(), topic, Duration.ofMinutes(historyMinutes), ingest,
            () -> journal.restore(alarms.readAll()));
    consumer.start();
    metrics.watch(ingest, consumer, journal);
    metrics.watch(server.jettyServer().server());
    // The header's clock: Kafka's state, lag and client count change without new windows.
    statusTicker = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "status-ticker");
      thread.setDaemon(true);
      return thread;
    });
    statusTicker.scheduleAtFixedRate(
        () -> clients.broadcast(json(Map.of("type", "status", "status", health()))), 1, 1, TimeUnit.SECONDS);
    return this;
  }

  /**
   * Loads {@code file} (PKCS12 or JKS, whichever it is) and checks that it holds a key; a usage
   * error naming the file otherwise, so that a wrong password is found before anything starts.
   */
  private static KeyStore loadKeyStore(Path file, String password, Path passwordFile) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("--tlsKeystore: no file " + file);
    }
    try {
      KeyStore store = KeyStore.getInstance(file.toFile(), password.toCharArray());
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          return store;
        }
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("--tlsKeystore: cannot open " + file + " with the password in " + passwordFile + " ("
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
    }
    throw new IllegalArgumentException("--tlsKeystore: " + file + " holds no private key, only certificates");
  }

  /** Jetty's HTTPS connector on {@code --bind} and {@code --port}, with the keystore's key. */
  private Connector httpsConnector(Server jetty, HttpConfiguration http) {
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStore(keyStore);
    tls.setKeyStorePassword(keyStorePassword);
    HttpConfiguration https = new HttpConfiguration(http);
    https.addCustomizer(new SecureRequestCustomizer());
    ServerConnector connector = new ServerConnector(jetty,
        new SslConnectionFactory(tls, HttpVersion.HTTP_1_1.asString()), new HttpConnectionFactory(https));
    connector.setHost(bind);
    connector.setPort(port);
    return connector;
  }

  /** The page's address, as the start-up line gives it. */
  String url() {
    return (keyStore == null ? "http" : "https") + "://" + bind + ":" + port() + "/";
  }

  /** The port the server listens on (the chosen one when started with {@code --port=0}). */
  public int port() {
    return server.port();
  }

  @Override
  public void close() {
    if (statusTicker != null) {
      statusTicker.shutdownNow();
    }
    if (consumer != null) {
      consumer.close();
    }
    if (alarms != null) {
      alarms.close();
    }
    if (server != null) {
      server.stop();
    }
    if (metrics != null) {
      metrics.close();
    }
  }

  /** A browser asks for its snapshot with {@code ?windows=N} (it keeps that many at most). */
  private void browserConnected(WsConnectContext ctx) {
    int asked = parseCount(ctx.queryParam("windows"), maxWindows);
    int wanted = asked > 0 ? asked : maxWindows;
    clients.connected(ctx, () -> json(Map.of("type", "snapshot", "windows", history.last(wanted), "status", health())));
  }

  private void windows(Context ctx) {
    String last = ctx.queryParam("last");
    int count = parseCount(last, 60);
    if (count < 0) {
      error(ctx, 400, "last must be a positive integer, got '" + WindowResults.abbreviate(last) + "'", "last");
      return;
    }
    respond(ctx, history.last(count));
  }

  /**
   * Each chamber's fits over the windows held ({@code view=cumulative}, the default; {@code
   * since=ISO-8601} keeps those that start then or later) or the last {@code --qualityWindows}
   * ({@code view=rolling}); with the trend of the rolling fits.
   */
  private void quality(Context ctx) {
    String view = ctx.queryParam("view");
    QualityView.Kind kind;
    try {
      kind = view == null || view.isEmpty() ? QualityView.Kind.cumulative : QualityView.Kind.valueOf(view);
    } catch (IllegalArgumentException e) {
      error(ctx, 400, "view must be cumulative or rolling, got '" + WindowResults.abbreviate(view) + "'", "view");
      return;
    }
    String sinceText = ctx.queryParam("since");
    Instant since = null;
    if (sinceText != null && !sinceText.isEmpty()) {
      try {
        since = Instant.parse(sinceText);
      } catch (DateTimeParseException e) {
        error(ctx, 400, "since must be an ISO-8601 instant, got '" + WindowResults.abbreviate(sinceText) + "'", "since");
        return;
      }
    }
    Instant from = since;
    List<WindowResults> windows = history.last(kind == QualityView.Kind.rolling ? qualityWindows : maxWindows).stream()
        .map(LiveWindow::results)
        .filter(w -> from == null || !w.startInstant().isBefore(from))
        .toList();
    respond(ctx, QualityView.of(kind, windows, trend.since(from), reference));
  }

  /**
   * A positive count (capped at the history's size), {@code fallback} when absent, -1 when invalid.
   * ASCII digits only: Integer.parseInt would also take a sign and other scripts' digits.
   */
  private int parseCount(String text, int fallback) {
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    if (!text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    String digits = text.replaceFirst("^0+", "");
    if (digits.isEmpty()) {
      return -1;
    }
    // Too many digits for a long is far more than any history holds.
    return digits.length() > 18 ? maxWindows : (int) Math.min(Long.parseLong(digits), maxWindows);
  }

  /** Whether {@code query} (raw, may be null) has only well-formed escapes, of UTF-8 text. */
  private static boolean isPercentEncodedUtf8(String query) {
    if (query == null) {
      return true;
    }
    byte[] raw = query.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream decoded = new ByteArrayOutputStream(raw.length);
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] != '%') {
        decoded.write(raw[i]);
        continue;
      }
      int high = i + 1 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
      int low = i + 2 < raw.length ? Character.digit(raw[i + 2], 16) : -1;
      if (high < 0 || low < 0) {
        return false;
      }
      decoded.write(high << 4 | low);
      i += 2;
    }
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(decoded.toByteArray()));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static void rejectedByJetty(Exception rejection, Context ctx) {
    int status = ((HttpException) rejection).getCode();
    if (status >= 500) {
      LOG.warn("request failed", rejection);
    }
    error(ctx, status, rejection.getMessage(), null);
  }

  /** An error as JSON (so the input it quotes is never read as HTML), naming the parameter at fault, if any. */
  private static void error(Context ctx, int status, String message, String parameter) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("error", message);
    if (parameter != null) {
      body.put("parameter", parameter);
    }
    ctx.status(status);
    respond(ctx, body);
  }

  Health health() {
    ResultsConsumer.KafkaStatus kafka = consumer == null
        ? new ResultsConsumer.KafkaStatus(bootstrapServers, topic, false, "starting", 0, null)
        : consumer.status();
    var latest = history.latest();
    return new Health(
        kafka.connected() && kafka.problem() == null ? "ok" : "degraded",
        kafka,
        latest.map(Health.LastWindow::of).orElse(null),
        history.size(),
        ingest.malformedMessages(),
        clients.count(),
        latest.map(LiveWindow::alarms).orElse(QualityAlarms.Report.NONE),
        journal == null ? List.of() : journal.firingPerChamber(Chambers.COUNT),
        alarms == null ? null : alarms.problem());
  }

  private static void respond(Context ctx, Object body) {
    ctx.contentType("application/json").result(json(body));
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
