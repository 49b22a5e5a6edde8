package io.dtstream.contract.metrics;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code --metricsPort=N} of the commands without a web server of their own (the injector, the
 * pipeline): {@code GET http://HOST:N/metrics} answers the registry's meters, with the JVM's, in
 * Prometheus's text format. It listens on every interface, as an exporter does, so that a
 * Prometheus server elsewhere can scrape it; off unless the option is given.
 */
public final class MetricsEndpoint implements AutoCloseable {
  /** The content type of Prometheus's text format. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmMeters jvm = new JvmMeters(registry);
  private final HttpServer server;

  private MetricsEndpoint(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/metrics", exchange -> {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        exchange.close();
        return;
      }
      byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  /** Why {@code --metricsPort} is not a port (null when it is, or when it is not given). */
  public static String portProblem(Integer port) {
    return port == null || (port >= 0 && port <= 65_535) ? null : "--metricsPort must be 0-65535, got " + port;
  }

  /**
   * Serves on {@code port} (0: a free one).
   *
   * @throws UncheckedIOException when the port is taken
   */
  public static MetricsEndpoint start(int port) {
    try {
      return new MetricsEndpoint(port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + port + ": " + e.getMessage(), e);
    }
  }

  /** Where the meters are registered. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Where it serves, for the command's start-up line. */
  public String describe() {
    return "metrics on port " + port() + " (http://127.0.0.1:" + port() + "/metrics)";
  }

  @Override
  public void close() {
    server.stop(0);
    jvm.close();
    registry.close();
  }
}
