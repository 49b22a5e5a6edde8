package io.dtstream.local;

import io.dtstream.contract.kafka.KafkaClientConfig;
import io.dtstream.contract.kafka.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft Kafka broker (combined broker and controller; clients on 127.0.0.1 unless
 * told otherwise) in its own JVM,
 * on the broker's own classpath (Kafka 4 is Scala 2.13; the pipeline's Spark is Scala 2.12). Used
 * alike by {@code dtstream kafka} and by the tests of every module.
 *
 * <p>With {@link Security#SASL_SSL} its client listener takes TLS (a CA and certificate of its
 * own, {@link LocalTls}) and SCRAM-SHA-512 logins, and it writes the client settings a command
 * takes with {@code --kafkaConfig} to {@code client.properties} in its folder. There is no
 * authorizer: authentication is the point, and an authenticated client may do anything.
 */
public final class LocalKafka implements LocalServer {
  /** How clients connect: as they like, or over TLS with a SCRAM login. */
  public enum Security {
    PLAINTEXT,
    SASL_SSL;

    /** {@code plaintext} or {@code sasl_ssl}, in any case. */
    public static Security parse(String name) {
      for (Security security : values()) {
        if (security.name().equalsIgnoreCase(name)) {
          return security;
        }
      }
      throw new IllegalArgumentException("--security must be plaintext or sasl_ssl, got '" + name + "'");
    }

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The SCRAM user of the commands; the broker has one of its own for inter-broker traffic. */
  public static final String CLIENT_USER = "dtstream";
  private static final String BROKER_USER = "broker";
  private static final String SCRAM = "SCRAM-SHA-512";
  private static final String PROCESS = "broker";
  private static final String PORT_FILE = "broker.port";
  private static final String SECRETS = "secrets.properties";
  private static final String CLIENT_PROPERTIES = "client.properties";
  private static final Duration STARTUP = Duration.ofSeconds(90);

  private final Path dataDir;
  private final String host;
  private final int port;
  private final ProcessHandle process;

  private LocalKafka(Path dataDir, String host, int port, ProcessHandle process) {
    this.dataDir = dataDir;
    this.host = host;
    this.port = port;
    this.process = process;
  }

  /** Starts a broker on 127.0.0.1 with its data in {@code dataDir} (kept across restarts). */
  public static LocalKafka start(Path dataDir, int port, int controllerPort) throws IOException {
    return start(dataDir, "127.0.0.1", port, controllerPort);
  }

  /**
   * Starts a broker listening on {@code host} (127.0.0.1, or this machine's address for clients on
   * other hosts) with its data in {@code dataDir}.
   */
  public static LocalKafka start(Path dataDir, String host, int port, int controllerPort)
      throws IOException {
    return start(dataDir, host, port, controllerPort, Security.PLAINTEXT);
  }

  /**
   * As {@link #start(Path, String, int, int)}, secured as {@code security} says. A folder keeps the
   * security it was first started with, and its certificates, users and passwords.
   *
   * @throws IOException also when the folder was made with another security
   */
  public static LocalKafka start(Path dataDir, String host, int port, int controllerPort, Security security)
      throws IOException {
    Files.createDirectories(dataDir);
    boolean formatted = Files.exists(dataDir.resolve("logs").resolve("meta.properties"));
    if (formatted && security(dataDir) != security) {
      throw new IOException(dataDir + " holds a broker made with --security=" + security(dataDir)
          + ": start it so, or use another --workDir");
    }
    Properties secrets = security == Security.SASL_SSL ? secrets(dataDir) : new Properties();
    if (security == Security.SASL_SSL) {
      LocalTls tls = LocalTls.in(dataDir.resolve("tls"), host,
          secrets.getProperty("keystore.password"), secrets.getProperty("truststore.password"));
      writeClientProperties(dataDir, tls, secrets);
    }
    Path config = writeConfig(dataDir, host, port, controllerPort, secrets);
    if (!formatted) {
      List<String> format = new ArrayList<>(List.of("format", "--cluster-id=" + base64Uuid(), "-c", config.toString()));
      // "--cluster-id=ID" in one word: a base64 id may start with '-', which the tool's parser then
      // takes for an option (one format in 64 failed so, seen in CI).
      if (security == Security.SASL_SSL) {
        format.addAll(List.of(
            "--add-scram", scram(BROKER_USER, secrets.getProperty("broker.password")),
            "--add-scram", scram(CLIENT_USER, secrets.getProperty("client.password"))));
      }
      runToCompletion(dataDir, "kafka.tools.StorageTool", format.toArray(String[]::new));
    }
    return launch(dataDir, host, port);
  }

  /** Stops the broker and starts it again on the same ports and data, as an operator would. */
  public LocalKafka restart() throws IOException {
    stop();
    return launch(dataDir, host, port);
  }

  private static LocalKafka launch(Path dataDir, String host, int port) throws IOException {
    ProcessHandle broker =
        LocalProcess.in(dataDir, PROCESS)
            .start(
                brokerJvm(dataDir, "kafka.Kafka", dataDir.resolve("server.properties").toString()),
                dataDir.resolve("broker.log"));
    Files.writeString(dataDir.resolve(PORT_FILE), host + ":" + port);
    LocalKafka kafka = new LocalKafka(dataDir, host, port, broker);
    kafka.awaitReady();
    return kafka;
  }

  /** A broker on free ports in a fresh folder, for tests; stopped by {@link #close()}. */
  public static LocalKafka startForTest(Path dataDir) throws IOException {
    return startForTest(dataDir, Security.PLAINTEXT);
  }

  /** As {@link #startForTest(Path)}, secured as {@code security} says (see {@link #clientProperties()}). */
  public static LocalKafka startForTest(Path dataDir, Security security) throws IOException {
    int[] ports = freePorts(2);
    LocalKafka kafka = start(dataDir, "127.0.0.1", ports[0], ports[1], security);
    Runtime.getRuntime().addShutdownHook(new Thread(kafka::stop));
    return kafka;
  }

  /** The broker started earlier in {@code dataDir}, if it is still running. */
  public static Optional<LocalKafka> running(Path dataDir) throws IOException {
    Optional<ProcessHandle> process = LocalProcess.in(dataDir, PROCESS).running();
    if (process.isEmpty()) {
      return Optional.empty();
    }
    String[] address = Files.readString(dataDir.resolve(PORT_FILE)).trim().split(":");
    return process.map(handle -> new LocalKafka(dataDir, address[0], Integer.parseInt(address[1]), handle));
  }

  /** The security of the broker in {@code dataDir}: its secrets file says it is secured. */
  private static Security security(Path dataDir) {
    return Files.exists(dataDir.resolve(SECRETS)) ? Security.SASL_SSL : Security.PLAINTEXT;
  }

  public Security security() {
    return security(dataDir);
  }

  /** The client settings file for {@code --kafkaConfig}, when the broker is secured. */
  public Optional<Path> clientProperties() {
    return security() == Security.SASL_SSL ? Optional.of(dataDir.resolve(CLIENT_PROPERTIES)) : Optional.empty();
  }

  /** The settings every client of this broker needs (none when it is plaintext). */
  public Map<String, Object> clientConfig() {
    return clientProperties().map(file -> KafkaClientConfig.load(file.toString()).admin()).orElse(Map.of());
  }

  public String bootstrapServers() {
    return host + ":" + port;
  }

  public long pid() {
    return process.pid();
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public String describe() {
    return "bootstrapServers=" + bootstrapServers() + " pid=" + pid() + " security=" + security()
        + clientProperties().map(file -> " kafkaConfig=" + file).orElse("");
  }

  /** Stops the broker (SIGTERM, then SIGKILL after 30 s); its data stay for the next start. */
  @Override
  public void stop() {
    LocalProcess.in(dataDir, PROCESS).stop(process);
  }

  /** As {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** Kills the broker at once, as a crash would. */
  public void kill() {
    process.destroyForcibly();
    process.onExit().join();
  }

  private void awaitReady() throws IOException {
    Instant deadline = Instant.now().plus(STARTUP);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IOException(
            "the Kafka broker exited during startup; see " + dataDir.resolve("broker.log"));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, port), 500);
        // answers only once the broker serves requests (and, secured, knows its SCRAM users)
        Topics.ensure(bootstrapServers(), clientConfig(), List.of(), Duration.ofSeconds(30));
        return;
      } catch (IOException | IllegalStateException notYet) {
        sleep(250);
      }
    }
    stop();
    throw new IOException("the Kafka broker did not start within " + STARTUP.toSeconds() + " s");
  }

  /** {@code secrets} is empty for a plaintext broker. */
  private static Path writeConfig(Path dataDir, String host, int port, int controllerPort, Properties secrets)
      throws IOException {
    String listener = secrets.isEmpty() ? "PLAINTEXT" : "SASL_SSL";
    String properties =
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            // the controller stays plaintext, on loopback only
            "listeners=" + listener + "://" + host + ":" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=" + listener + "://" + host + ":" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=" + listener,
            "listener.security.protocol.map=" + listener + ":" + listener + ",CONTROLLER:PLAINTEXT",
            secrets.isEmpty() ? "" : securityConfig(dataDir.resolve("tls"), secrets),
            "log.dirs=" + dataDir.toAbsolutePath().resolve("logs"),
            "num.partitions=1",
            "auto.create.topics.enable=false",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=4",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "log.retention.hours=24",
            "");
    Path config = dataDir.resolve("server.properties");
    writeOwnerOnly(config, properties); // a secured broker's holds its passwords
    try (InputStream log4j = LocalKafka.class.getResourceAsStream("broker-log4j2.properties")) {
      Files.copy(log4j, dataDir.resolve("log4j2.properties"), StandardCopyOption.REPLACE_EXISTING);
    }
    return config;
  }

  /** The SASL_SSL listener's settings: SCRAM logins, the broker's own login, its TLS stores. */
  private static String securityConfig(Path tls, Properties secrets) {
    return String.join(
        "\n",
        "sasl.enabled.mechanisms=" + SCRAM,
        "sasl.mechanism.inter.broker.protocol=" + SCRAM,
        "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=" + jaas(BROKER_USER, secrets.getProperty("broker.password")),
        "ssl.keystore.type=PKCS12",
        "ssl.keystore.location=" + escaped(tls.toAbsolutePath().resolve(LocalTls.KEYSTORE)),
        "ssl.keystore.password=" + secrets.getProperty("keystore.password"),
        "ssl.truststore.type=PKCS12",
        "ssl.truststore.location=" + escaped(tls.toAbsolutePath().resolve(LocalTls.TRUSTSTORE)),
        "ssl.truststore.password=" + secrets.getProperty("truststore.password"),
        "ssl.client.auth=none");
  }

  /** What a command needs for {@code --kafkaConfig}; the truststore holds only the CA. */
  private static void writeClientProperties(Path dataDir, LocalTls tls, Properties secrets) throws IOException {
    String properties =
        String.join(
            "\n",
            "# The local broker's client settings (dtstream kafka start --security=sasl_ssl): pass",
            "# --kafkaConfig=" + dataDir.toAbsolutePath().resolve(CLIENT_PROPERTIES) + " to every command.",
            "security.protocol=SASL_SSL",
            "sasl.mechanism=" + SCRAM,
            "sasl.jaas.config=" + jaas(CLIENT_USER, secrets.getProperty("client.password")),
            "ssl.truststore.type=PKCS12",
            "ssl.truststore.location=" + escaped(tls.truststore().toAbsolutePath()),
            "ssl.truststore.password=" + secrets.getProperty("truststore.password"),
            "");
    writeOwnerOnly(dataDir.resolve(CLIENT_PROPERTIES), properties);
  }

  /**
   * The broker's passwords, made once (random) and kept in its folder, readable by its owner only:
   * a restart keeps its users and stores.
   */
  private static Properties secrets(Path dataDir) throws IOException {
    Path file = dataDir.resolve(SECRETS);
    Properties secrets = new Properties();
    if (Files.exists(file)) {
      try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        secrets.load(in);
      }
      return secrets;
    }
    for (String name : List.of("keystore.password", "truststore.password", "broker.password", "client.password")) {
      secrets.setProperty(name, LocalTls.randomPassword());
    }
    StringBuilder text = new StringBuilder("# The local broker's passwords: never share or log them.\n");
    secrets.stringPropertyNames().stream().sorted().forEach(name -> text.append(name).append('=').append(secrets.getProperty(name)).append('\n'));
    writeOwnerOnly(file, text.toString());
    return secrets;
  }

  private static void writeOwnerOnly(Path file, String text) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file);
    LocalTls.ownerOnly(file); // before the secrets go in
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static String jaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
        + "\" password=\"" + password + "\";";
  }

  /** StorageTool's {@code --add-scram} value (the passwords are URL-safe base64: nothing to quote). */
  private static String scram(String user, String password) {
    return SCRAM + "=[name=" + user + ",password=" + password + "]";
  }

  /** A path as a properties value (backslashes are escapes there). */
  private static String escaped(Path path) {
    return path.toString().replace("\\", "\\\\");
  }

  private static ProcessBuilder brokerJvm(Path dataDir, String mainClass, String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(LocalProcess.java());
    command.add("-Xmx1g");
    command.add("-XX:+UseG1GC");
    command.add("-Dlog4j2.configurationFile=" + dataDir.toAbsolutePath().resolve("log4j2.properties"));
    command.add("-cp");
    command.add(brokerClasspath());
    command.add(mainClass);
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  private static void runToCompletion(Path dataDir, String mainClass, String... args) throws IOException {
    Path log = dataDir.resolve("broker.log");
    Process process =
        brokerJvm(dataDir, mainClass, args)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException(mainClass + " failed: " + lastLines(log, 5) + " (see " + log + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** The end of a log, on one line, for an error message that says why. */
  private static String lastLines(Path log, int count) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    } catch (IOException e) {
      return "no log";
    }
  }

  /**
   * The broker's classpath: {@code DTSTREAM_BROKER_CLASSPATH} if set (an installed package, whose
   * jars are not where the build found them), else the one recorded by the build (see this
   * module's pom).
   */
  static String brokerClasspath() throws IOException {
    String installed = System.getenv("DTSTREAM_BROKER_CLASSPATH");
    if (installed != null && !installed.isBlank()) {
      return installed;
    }
    try (InputStream in = LocalKafka.class.getResourceAsStream("broker.classpath")) {
      if (in == null) {
        throw new IOException("broker.classpath is missing: build the runners module first");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  private static String base64Uuid() {
    UUID uuid = UUID.randomUUID();
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
    bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
  }

  /** A free port on the loopback interface, for tests. */
  public static int freePort() throws IOException {
    return freePorts(1)[0];
  }

  /**
   * {@code count} different free ports on the loopback interface: all held open until all are
   * chosen, since a port just closed may be handed out again.
   */
  public static int[] freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } finally {
      for (ServerSocket socket : sockets) {
        socket.close();
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
