package io.dtstream.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The TLS material of a local secured broker, made with the JDK's own {@code keytool}: a
 * self-signed CA, a broker key pair whose certificate the CA signs (for 127.0.0.1, localhost and
 * the broker's host), in a PKCS12 keystore with its chain, and a PKCS12 truststore holding the CA
 * for clients. Passwords reach keytool through its environment ({@code -storepass:env}), never
 * its command line.
 */
public final class LocalTls {
  public static final String KEYSTORE = "broker.p12";
  public static final String TRUSTSTORE = "truststore.p12";
  private static final String CA_STORE = "ca.p12";
  private static final String VALIDITY_DAYS = "3650";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path dir;

  private LocalTls(Path dir) {
    this.dir = dir;
  }

  /** The material in {@code dir}, made there if it is not yet. */
  public static LocalTls in(Path dir, String host, String keystorePassword, String truststorePassword)
      throws IOException {
    LocalTls tls = new LocalTls(dir);
    if (!Files.exists(tls.truststore())) {
      tls.make(host, keystorePassword, truststorePassword);
    }
    return tls;
  }

  public Path keystore() {
    return dir.resolve(KEYSTORE);
  }

  public Path truststore() {
    return dir.resolve(TRUSTSTORE);
  }

  /** A random password of 32 URL-safe characters (no quote or space to escape anywhere). */
  public static String randomPassword() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Makes {@code file} readable by its owner only, where the file system has POSIX permissions. */
  public static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(Files.isDirectory(file) ? "rwx------" : "rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the user's profile folder is private already
    }
  }

  private void make(String host, String keystorePassword, String truststorePassword) throws IOException {
    Files.createDirectories(dir);
    ownerOnly(dir);
    String caPassword = randomPassword(); // used only here: the CA signs this one broker
    Map<String, String> env = Map.of("CA_PASS", caPassword, "KEY_PASS", keystorePassword, "TRUST_PASS", truststorePassword);
    keytool(env, "-genkeypair", "-alias", "ca", "-dname", "CN=dtstream local CA", "-ext", "bc:c",
        "-keyalg", "EC", "-groupname", "secp256r1", "-validity", VALIDITY_DAYS,
        "-storetype", "PKCS12", "-keystore", CA_STORE, "-storepass:env", "CA_PASS");
    keytool(env, "-exportcert", "-rfc", "-alias", "ca", "-file", "ca.crt",
        "-keystore", CA_STORE, "-storepass:env", "CA_PASS");
    keytool(env, "-genkeypair", "-alias", "broker", "-dname", "CN=" + host,
        "-keyalg", "EC", "-groupname", "secp256r1", "-validity", VALIDITY_DAYS,
        "-storetype", "PKCS12", "-keystore", KEYSTORE, "-storepass:env", "KEY_PASS");
    keytool(env, "-certreq", "-alias", "broker", "-file", "broker.csr",
        "-keystore", KEYSTORE, "-storepass:env", "KEY_PASS");
    keytool(env, "-gencert", "-rfc", "-alias", "ca", "-infile", "broker.csr", "-outfile", "broker.crt",
        "-ext", "SAN=" + subjectAlternativeNames(host), "-ext", "KU=digitalSignature,keyEncipherment",
        "-ext", "EKU=serverAuth,clientAuth", "-validity", VALIDITY_DAYS,
        "-keystore", CA_STORE, "-storepass:env", "CA_PASS");
    // the CA first, so that keytool builds the chain when the signed certificate comes in
    keytool(env, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt",
        "-keystore", KEYSTORE, "-storepass:env", "KEY_PASS");
    keytool(env, "-importcert", "-alias", "broker", "-file", "broker.crt",
        "-keystore", KEYSTORE, "-storepass:env", "KEY_PASS");
    keytool(env, "-importcert", "-noprompt", "-alias", "ca", "-file", "ca.crt",
        "-storetype", "PKCS12", "-keystore", TRUSTSTORE, "-storepass:env", "TRUST_PASS");
    Files.delete(dir.resolve("broker.csr"));
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        ownerOnly(file);
      }
    }
  }

  /** 127.0.0.1 and localhost, and the broker's own host if it is another. */
  static String subjectAlternativeNames(String host) {
    List<String> names = new ArrayList<>(List.of("ip:127.0.0.1", "dns:localhost"));
    if (host.matches("[0-9.]+|.*:.*")) {
      if (!host.equals("127.0.0.1")) {
        names.add("ip:" + host);
      }
    } else if (!host.equals("localhost")) {
      names.add("dns:" + host);
    }
    return String.join(",", names);
  }

  private void keytool(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    process.getOutputStream().close();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new IOException("keytool " + args[0] + " failed: " + output.strip().replaceAll("\\s*\\R\\s*", " "));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
