package io.dtstream.local;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.CoreMatchers.hasItems;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The secured broker's TLS material as keytool made it: a chain to the CA, for the broker's names. */
public class LocalTlsTest {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void theKeystoreHoldsTheBrokersCertificateSignedByTheCaForItsNames() throws Exception {
    String keyPassword = LocalTls.randomPassword();
    String trustPassword = LocalTls.randomPassword();
    Path dir = temp.getRoot().toPath().resolve("tls");
    LocalTls tls = LocalTls.in(dir, "broker.example", keyPassword, trustPassword);

    KeyStore truststore = load(tls.truststore(), trustPassword);
    X509Certificate ca = (X509Certificate) truststore.getCertificate("ca");
    assertTrue("a CA", ca.getBasicConstraints() >= 0);

    KeyStore keystore = load(tls.keystore(), keyPassword);
    Certificate[] chain = keystore.getCertificateChain("broker");
    assertEquals(2, chain.length);
    X509Certificate broker = (X509Certificate) chain[0];
    broker.verify(ca.getPublicKey()); // signed by the CA
    assertEquals(ca, chain[1]);
    assertEquals(-1, broker.getBasicConstraints());
    List<String> names = new ArrayList<>();
    broker.getSubjectAlternativeNames().forEach(name -> names.add(String.valueOf(name.get(1))));
    assertThat(names, hasItems("127.0.0.1", "localhost", "broker.example"));
    assertTrue(keystore.isKeyEntry("broker"));

    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tls.keystore())));
    }
    // made once: a second call keeps the stores
    byte[] before = Files.readAllBytes(tls.keystore());
    LocalTls.in(dir, "broker.example", keyPassword, trustPassword);
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(tls.keystore())));
  }

  @Test
  public void theSubjectAlternativeNamesAreLoopbackAndTheHost() {
    assertEquals("ip:127.0.0.1,dns:localhost", LocalTls.subjectAlternativeNames("127.0.0.1"));
    assertEquals("ip:127.0.0.1,dns:localhost,ip:10.0.0.5", LocalTls.subjectAlternativeNames("10.0.0.5"));
    assertEquals("ip:127.0.0.1,dns:localhost,dns:kafka.lab", LocalTls.subjectAlternativeNames("kafka.lab"));
  }

  private static KeyStore load(Path file, String password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password.toCharArray());
    }
    return store;
  }
}
