package io.dtstream.injector;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;

import io.dtstream.local.LocalKafka;
import io.dtstream.local.LocalS3;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code dtstream inject} as a user meets it: its own JVM and environment, its summary line, and
 * one clear line with a non-zero exit for each error.
 */
public class InjectCommandTest {
  @ClassRule public static final TemporaryFolder TEMP = new TemporaryFolder();
  private static LocalKafka kafka;
  private static LocalS3 s3;

  @BeforeClass
  public static void startServers() throws Exception {
    kafka = LocalKafka.startForTest(TEMP.newFolder("kafka").toPath());
    s3 = LocalS3.startForTest(TEMP.newFolder("s3").toPath(), "mapd-minidt-stream");
  }

  @AfterClass
  public static void stopServers() {
    s3.stop();
    kafka.stop();
  }

  record Run(int exitCode, List<String> out, List<String> err) {}

  @Test
  public void theSummaryCountsRowsAndMalformedLines() throws Exception {
    Path file = TEMP.newFile("five.csv").toPath();
    Files.writeString(
        file, "HEAD,FPGA,TDC_CHANNEL,ORBIT_CNT,BX_COUNTER,TDC_MEAS\n2,0,1,5,6,7\n2,0,1,5\n0,1,2,3,4,5\n\nx,y\n2,1,128,5,6,9\n");
    Run run = inject(Map.of(), "--source=" + file, "--rate=max", "--bootstrapServers=" + kafka.bootstrapServers());
    assertEquals(run.err().toString(), 0, run.exitCode());
    assertThat(run.out().get(run.out().size() - 1), containsString("rowsRead=5 rowsSent=5 malformed=2 "));
  }

  @Test
  public void noSuchFile() throws Exception {
    assertOneLineError(inject(Map.of(), "--source=" + TEMP.getRoot() + "/missing*.csv"), 1, "no such file");
  }

  @Test
  public void badRate() throws Exception {
    assertOneLineError(inject(Map.of(), "--source=sim:", "--rate=fast"), 2, "--rate must be");
  }

  @Test
  public void brokerNotReachable() throws Exception {
    Run run =
        inject(Map.of(), "--source=sim:", "--limit=10", "--connectTimeoutSeconds=3",
            "--bootstrapServers=127.0.0.1:" + LocalKafka.freePort());
    assertOneLineError(run, 1, "Kafka is not reachable");
  }

  @Test
  public void kafkaClientSettingsReachTheClients() throws Exception {
    // TLS towards the test's plaintext broker: only a client that got the setting fails.
    Path settings = TEMP.newFile("client.properties").toPath();
    Files.writeString(settings, "security.protocol=SSL\n");
    Run run =
        inject(Map.of(), "--source=sim:", "--limit=10", "--connectTimeoutSeconds=3",
            "--kafkaConfig=" + settings, "--bootstrapServers=" + kafka.bootstrapServers());
    assertOneLineError(run, 1, "Kafka is not reachable");
    assertOneLineError(
        inject(Map.of(), "--source=sim:", "--kafkaConfig=" + TEMP.getRoot() + "/missing.properties"),
        2, "cannot read the Kafka client settings");
  }

  @Test
  public void unknownBucket() throws Exception {
    Run run = inject(credentials(), "--source=s3://no-such-bucket/run1/", "--s3Endpoint=" + s3.endpoint());
    assertOneLineError(run, 1, "no such bucket");
  }

  @Test
  public void missingCredentials() throws Exception {
    Run run = inject(Map.of(), "--source=s3://mapd-minidt-stream/", "--s3Endpoint=" + s3.endpoint());
    assertOneLineError(run, 1, "no AWS credentials found");
  }

  private static Map<String, String> credentials() {
    return Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test");
  }

  private static void assertOneLineError(Run run, int exitCode, String message) {
    assertEquals(run.err().toString(), exitCode, run.exitCode());
    assertEquals(run.err().toString(), 1, run.err().size());
    assertThat(run.err().get(0), containsString(message));
  }

  /** Runs the injector's main in a JVM with no AWS settings but {@code env}. */
  private static Run inject(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    // No credentials file, and no instance-metadata lookup that would wait for a network.
    command.add("-Daws.sharedCredentialsFile=" + TEMP.getRoot().toPath().resolve("none"));
    command.add("-Daws.configFile=" + TEMP.getRoot().toPath().resolve("none"));
    command.add("-Daws.disableEc2Metadata=true");
    command.add(Inject.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
    builder.environment().putAll(env);
    Path out = TEMP.newFile().toPath();
    Path err = TEMP.newFile().toPath();
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("inject did not finish: " + Files.readString(err));
    }
    return new Run(
        process.exitValue(),
        Files.readAllLines(out, StandardCharsets.UTF_8),
        Files.readAllLines(err, StandardCharsets.UTF_8).stream().filter(line -> !line.isBlank()).toList());
  }
}
