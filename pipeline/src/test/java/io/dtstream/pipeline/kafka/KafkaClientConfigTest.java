package io.dtstream.pipeline.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import io.dtstream.pipeline.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class KafkaClientConfigTest {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void prefixedKeysGoToTheirClientAndTheOthersToBoth() throws Exception {
    Path file = temp.newFile("client.properties").toPath();
    Files.writeString(
        file,
        "security.protocol=SASL_SSL\n"
            + "consumer.fetch.min.bytes=1000\n"
            + "producer.linger.ms=20\n"
            + "consumer.security.protocol=SSL\n");
    KafkaClientConfig config = KafkaClientConfig.load(file.toString());
    assertEquals(Map.of("security.protocol", "SSL", "fetch.min.bytes", "1000"), config.consumer());
    assertEquals(Map.of("security.protocol", "SASL_SSL", "linger.ms", "20"), config.producer());
  }

  @Test
  public void noFileMeansNoSettingsAndAMissingOneIsAUserError() {
    assertEquals(KafkaClientConfig.NONE, KafkaClientConfig.load(""));
    assertThrows(Cli.UserError.class, () -> KafkaClientConfig.load(temp.getRoot() + "/missing.properties"));
  }
}
