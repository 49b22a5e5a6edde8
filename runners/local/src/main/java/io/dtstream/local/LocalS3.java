package io.dtstream.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A local S3 API server in its own JVM: Adobe's S3Mock, a real S3 REST implementation (objects
 * kept as files under {@code dataDir}). Chosen because it comes from Maven Central as one
 * executable jar that needs only Java; MinIO is not packaged for this platform and there is no
 * Docker. It accepts any credentials. Used alike by {@code dtstream s3} and the tests.
 */
public final class LocalS3 implements LocalServer {
  private static final String PROCESS = "s3";
  private static final String ENDPOINT_FILE = "s3.endpoint";
  private static final Duration STARTUP = Duration.ofSeconds(60);

  private final Path dataDir;
  private final URI endpoint;
  private final ProcessHandle process;

  private LocalS3(Path dataDir, URI endpoint, ProcessHandle process) {
    this.dataDir = dataDir;
    this.endpoint = endpoint;
    this.process = process;
  }

  /**
   * Starts the server on {@code 127.0.0.1:port} with {@code buckets} created if missing; objects
   * stay in {@code dataDir} across restarts.
   */
  public static LocalS3 start(Path dataDir, int port, List<String> buckets) throws IOException {
    Files.createDirectories(dataDir.resolve("store"));
    int httpsPort; // its HTTPS connector, unused here, must not take the HTTP port
    do {
      httpsPort = LocalKafka.freePort();
    } while (httpsPort == port);
    ProcessBuilder command =
        new ProcessBuilder(
                LocalProcess.java(),
                "-Xmx512m",
                "-jar",
                serverJar(),
                "--server.address=127.0.0.1",
                "--server.port=" + httpsPort,
                "--com.adobe.testing.s3mock.httpPort=" + port,
                "--com.adobe.testing.s3mock.store.root=" + dataDir.toAbsolutePath().resolve("store"),
                "--com.adobe.testing.s3mock.store.retainFilesOnExit=true",
                "--com.adobe.testing.s3mock.store.initialBuckets=" + String.join(",", buckets),
                "--spring.main.banner-mode=off");
    ProcessHandle server = LocalProcess.in(dataDir, PROCESS).start(command, dataDir.resolve("s3.log"));
    URI endpoint = URI.create("http://127.0.0.1:" + port);
    Files.writeString(dataDir.resolve(ENDPOINT_FILE), endpoint.toString());
    LocalS3 s3 = new LocalS3(dataDir, endpoint, server);
    s3.awaitReady();
    return s3;
  }

  /** A server on a free port in a fresh folder, for tests; stopped by {@link #close()}. */
  public static LocalS3 startForTest(Path dataDir, String... buckets) throws IOException {
    LocalS3 s3 = start(dataDir, LocalKafka.freePort(), List.of(buckets));
    Runtime.getRuntime().addShutdownHook(new Thread(s3::stop));
    return s3;
  }

  /** The server started earlier in {@code dataDir}, if it is still running. */
  public static Optional<LocalS3> running(Path dataDir) throws IOException {
    Optional<ProcessHandle> process = LocalProcess.in(dataDir, PROCESS).running();
    if (process.isEmpty()) {
      return Optional.empty();
    }
    URI endpoint = URI.create(Files.readString(dataDir.resolve(ENDPOINT_FILE)).trim());
    return process.map(handle -> new LocalS3(dataDir, endpoint, handle));
  }

  public URI endpoint() {
    return endpoint;
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public String describe() {
    return "endpoint=" + endpoint() + " pid=" + pid();
  }

  /** Stops the server (SIGTERM, then SIGKILL after 30 s); its objects stay for the next start. */
  @Override
  public void stop() {
    LocalProcess.in(dataDir, PROCESS).stop(process);
  }

  /** As {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }


  /** Ready once it lists its buckets (Spring starts lazily: the first request initializes it). */
  private void awaitReady() throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest listBuckets =
        HttpRequest.newBuilder(endpoint.resolve("/")).timeout(Duration.ofSeconds(10)).build();
    Instant deadline = Instant.now().plus(STARTUP);
    try {
      while (Instant.now().isBefore(deadline)) {
        if (!process.isAlive()) {
          throw new IOException("the S3 server exited during startup; see " + dataDir.resolve("s3.log"));
        }
        try {
          if (http.send(listBuckets, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
            return;
          }
        } catch (IOException notYet) {
          // not listening yet
        }
        Thread.sleep(250);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the S3 server", e);
    }
    stop();
    throw new IOException("the S3 server did not start within " + STARTUP.toSeconds() + " s");
  }

  /**
   * The server's jar: {@code DTSTREAM_S3_SERVER_JAR} if set (an installed package), else where the
   * build put it (see this module's pom).
   */
  private static String serverJar() throws IOException {
    try (InputStream in = LocalS3.class.getResourceAsStream("s3mock.location")) {
      String jar = System.getenv("DTSTREAM_S3_SERVER_JAR");
      if (jar == null || jar.isBlank()) {
        jar = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      if (jar.isEmpty() || !Files.isRegularFile(Path.of(jar))) {
        throw new IOException("the S3 server's jar is missing: build runners/local first (mvn package)");
      }
      return jar;
    }
  }
}
