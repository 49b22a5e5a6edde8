package io.dtstream.contract.kafka;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.kafka.common.errors.AuthenticationException;

/**
 * A Kafka client and its broker that do not agree on security: the broker refused the client's
 * credentials or TLS, or the client speaks plaintext to a TLS listener (the broker then just drops
 * the connection, and the client would retry until its timeout without saying why). The one place
 * that tells these apart from a broker that is away, for every command's one-line error.
 */
public final class SecurityMismatch extends IllegalStateException {
  private static final int PROBE_MILLIS = 5_000;

  private SecurityMismatch(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The mismatch behind {@code error}, a failure of a client with {@code clientConfig} to reach
   * {@code bootstrapServers}, if it is one. The message names neither credentials nor passwords.
   */
  public static Optional<SecurityMismatch> of(String bootstrapServers, Map<String, Object> clientConfig, Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof AuthenticationException refused) {
        return Optional.of(new SecurityMismatch(
            "Kafka at " + bootstrapServers + " refused this client's security (" + oneLine(refused.getMessage())
                + "): check the settings given with --kafkaConfig", error));
      }
    }
    String protocol = String.valueOf(clientConfig.getOrDefault("security.protocol", "PLAINTEXT"));
    if (!protocol.toUpperCase(java.util.Locale.ROOT).endsWith("SSL") && speaksTls(bootstrapServers.split(",")[0].trim())) {
      return Optional.of(new SecurityMismatch(
          "Kafka at " + bootstrapServers + " expects TLS (SSL or SASL_SSL), this client spoke plaintext: pass the"
              + " broker's client settings with --kafkaConfig=FILE (dtstream kafka start --security=sasl_ssl prints its file)",
          error));
    }
    return Optional.empty();
  }

  /**
   * Whether {@code address} (host:port) completes a TLS handshake. Only a probe: no data is sent,
   * so the certificate is not checked here (the client checks it when it connects for real).
   */
  static boolean speaksTls(String address) {
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      return false;
    }
    String host = address.substring(0, colon);
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1))), PROBE_MILLIS);
      plain.setSoTimeout(PROBE_MILLIS);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new AcceptAny()}, null);
      try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, plain.getPort(), false)) {
        tls.startHandshake();
        return true;
      }
    } catch (IOException | NumberFormatException | java.security.GeneralSecurityException e) {
      return false;
    }
  }

  private static String oneLine(String message) {
    return String.valueOf(message).replaceAll("\\s*\\R\\s*", " ").strip();
  }

  /** For the probe only: it asks whether the peer speaks TLS, not who it is. */
  private static final class AcceptAny implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
