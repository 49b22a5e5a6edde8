package io.dtstream.dashboard;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.fail;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.testing.CommandRun;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.junit.rules.Timeout;
import picocli.CommandLine;

/** The dashboard's options are checked before anything starts, each refusal one line naming the option. */
public class DashboardOptionsTest {
  @ClassRule public static final TemporaryFolder TEMP = new TemporaryFolder();
  @Rule public final Timeout timeout = Timeout.seconds(60);
  private static TestKeystore keystore;
  private static Path folder;

  @BeforeClass
  public static void makeKeystore() throws Exception {
    folder = TEMP.getRoot().toPath();
    keystore = TestKeystore.create(folder, "the-password");
  }

  @Test
  public void theRateLimitMustBeAboveZero() {
    for (String limit : new String[] {"0", "-5", "NaN"}) {
      assertEquals("--noisyHz must be above 0, got " + Double.parseDouble(limit), refusal("--noisyHz=" + limit));
    }
  }

  @Test
  public void aKeystoreComesWithItsPasswordFile() {
    assertEquals("--tlsKeystore needs --tlsKeystorePasswordFile, a file whose first line is its password",
        usageError("--tlsKeystore=" + keystore.keystore()));
    assertEquals("--tlsKeystorePasswordFile is for --tlsKeystore, which is missing",
        usageError("--tlsKeystorePasswordFile=" + keystore.passwordFile()));
  }

  @Test
  public void aKeystoreThatCannotBeOpenedIsRefusedAtStartNamingTheFile() throws Exception {
    Path ks = keystore.keystore();
    Path pass = keystore.passwordFile();
    Path missing = folder.resolve("missing");
    assertEquals("--tlsKeystore: no file " + missing, usageError("--tlsKeystore=" + missing, "--tlsKeystorePasswordFile=" + pass));
    assertEquals("--tlsKeystorePasswordFile: no file " + missing, usageError("--tlsKeystore=" + ks, "--tlsKeystorePasswordFile=" + missing));
    Path wrong = Files.writeString(folder.resolve("wrong.pass"), "not-the-password\n");
    assertEquals("--tlsKeystore: cannot open " + ks + " with the password in " + wrong + " (keystore password was incorrect)",
        usageError("--tlsKeystore=" + ks, "--tlsKeystorePasswordFile=" + wrong));
    Path notAKeystore = Files.writeString(folder.resolve("not.p12"), "hello\n");
    String garbled = usageError("--tlsKeystore=" + notAKeystore, "--tlsKeystorePasswordFile=" + pass);
    assertEquals(garbled, "--tlsKeystore: cannot open " + notAKeystore + " with the password in " + pass,
        garbled.substring(0, garbled.indexOf(" (")));
    Path certificateOnly = certificateOnly();
    assertEquals("--tlsKeystore: " + certificateOnly + " holds no private key, only certificates",
        usageError("--tlsKeystore=" + certificateOnly, "--tlsKeystorePasswordFile=" + pass));
  }

  @Test
  public void theTokenFileMustHoldAToken() throws Exception {
    Path missing = folder.resolve("missing.token");
    assertEquals("--authTokenFile: no file " + missing, usageError("--authTokenFile=" + missing));
    for (String content : new String[] {"", "\n", "  \nsecond line\n"}) {
      Path empty = Files.writeString(folder.resolve("empty.token"), content);
      assertEquals("--authTokenFile: the first line of " + empty + " is empty, it must be the token", usageError("--authTokenFile=" + empty));
    }
  }

  /**
   * The one line the command prints, checked to be one line with exit code 2 and to show no
   * password. A command that started instead would serve until stopped: the timeout fails it.
   */
  private static String usageError(String... options) {
    String[] args = new String[options.length + 2];
    args[0] = "--port=0";
    args[1] = "--bootstrapServers=127.0.0.1:1"; // nothing there, should it start after all
    System.arraycopy(options, 0, args, 2, options.length);
    CommandRun run = CommandRun.of(() -> CommandKit.execute("dtstream dashboard", new Dashboard(), args, Dashboard.RENAMED));
    assertEquals(run.stderr(), CommandKit.USAGE, run.exitCode());
    assertEquals(run.stderr(), 1, run.stderr().lines().count());
    assertFalse(run.stderr(), run.stderr().contains(keystore.password()));
    String prefix = "dtstream dashboard: ";
    String suffix = " (see dtstream dashboard --help)";
    String line = run.stderr().strip();
    return line.substring(prefix.length(), line.length() - suffix.length());
  }

  /** A keystore with the test keystore's certificate and no key, under the same password. */
  private static Path certificateOnly() throws Exception {
    char[] password = keystore.password().toCharArray();
    KeyStore full = KeyStore.getInstance(keystore.keystore().toFile(), password);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("certificate", full.getCertificate(full.aliases().nextElement()));
    Path file = folder.resolve("certificate.p12");
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password);
    }
    return file;
  }

  /** The message start() refuses the options with; fails if it starts instead. */
  private static String refusal(String... options) {
    Dashboard dashboard = new Dashboard();
    String[] args = new String[options.length + 2];
    args[0] = "--port=0";
    args[1] = "--bootstrapServers=127.0.0.1:1"; // nothing there, should it start after all
    System.arraycopy(options, 0, args, 2, options.length);
    new CommandLine(dashboard).parseArgs(args);
    try {
      dashboard.start();
      fail("started with " + String.join(" ", options));
      return null;
    } catch (CommandLine.ParameterException expected) {
      return expected.getMessage();
    } finally {
      dashboard.close();
    }
  }
}
