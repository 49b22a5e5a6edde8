package io.dtstream.pipeline;

import io.dtstream.pipeline.testing.EndToEnd;
import io.dtstream.pipeline.testing.FuzzLines;
import io.dtstream.runners.kafka.LocalKafka;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * 100,000 random and mutated lines through a real broker and the streaming pipeline: nothing
 * escapes, every row is counted as the independent re-implementation counts it, and every
 * malformed one reaches the dead-letter topic once.
 */
public class FuzzTest {
  @ClassRule public static final TemporaryFolder TEMP = new TemporaryFolder();
  private static LocalKafka kafka;

  @BeforeClass
  public static void startBroker() throws Exception {
    kafka = LocalKafka.startForTest(TEMP.newFolder("kafka").toPath());
  }

  @AfterClass
  public static void stopBroker() {
    kafka.stop();
  }

  @Test
  public void hostileLinesAreCountedOrDeadLettered() throws Exception {
    EndToEnd.runAndCompare(kafka, FuzzLines.generate(11, 100_000), "--runner=DirectRunner");
  }
}
