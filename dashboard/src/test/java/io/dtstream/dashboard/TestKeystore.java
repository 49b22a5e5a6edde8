package io.dtstream.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A PKCS12 keystore made for a test with the JDK's keytool, as the README tells an operator to: a
 * self-signed certificate for 127.0.0.1 and localhost, its password in a file beside it.
 */
record TestKeystore(Path keystore, Path passwordFile, String password) {
  private static final String ALIAS = "dashboard";

  /** Makes {@code dashboard.p12} and {@code dashboard.pass} in {@code directory}. */
  static TestKeystore create(Path directory, String password) throws IOException, InterruptedException {
    Path passwordFile = Files.writeString(directory.resolve("dashboard.pass"), password + "\n");
    Path keystore = directory.resolve("dashboard.p12");
    Process keytool = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", ALIAS, "-keyalg", "RSA", "-keysize", "2048",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass:file", passwordFile.toString(),
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2")
        .redirectErrorStream(true)
        .start();
    String output = new String(keytool.getInputStream().readAllBytes());
    if (keytool.waitFor() != 0) {
      throw new IOException("keytool failed: " + output);
    }
    return new TestKeystore(keystore, passwordFile, password);
  }

  /** A TLS context that trusts this keystore's certificate, and nothing else. */
  SSLContext trustingIt() throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, password.toCharArray());
    }
    Certificate certificate = store.getCertificate(ALIAS);
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry(ALIAS, certificate);
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
