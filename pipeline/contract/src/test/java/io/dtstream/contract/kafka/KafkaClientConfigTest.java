package io.dtstream.contract.kafka;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class KafkaClientConfigTest {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void prefixedKeysGoToTheirClientAndTheOthersToAll() throws Exception {
    Path file = temp.newFile("client.properties").toPath();
    Files.writeString(
        file,
        "security.protocol=SASL_SSL\n"
            + "consumer.fetch.min.bytes=1000\n"
            + "producer.linger.ms=20\n"
            + "consumer.security.protocol=SSL\n"
            + "admin.request.timeout.ms=5000\n");
    KafkaClientConfig config = KafkaClientConfig.load(file.toString());
    assertEquals(Map.of("security.protocol", "SSL", "fetch.min.bytes", "1000"), config.consumer());
    assertEquals(Map.of("security.protocol", "SASL_SSL", "linger.ms", "20"), config.producer());
    assertEquals(Map.of("security.protocol", "SASL_SSL", "request.timeout.ms", "5000"), config.admin());
  }

  @Test
  public void noFileMeansNoSettingsAndAMissingOneIsAnError() {
    assertEquals(KafkaClientConfig.NONE, KafkaClientConfig.load(""));
    assertThrows(IllegalArgumentException.class, () -> KafkaClientConfig.load(temp.getRoot() + "/missing.properties"));
  }
}
