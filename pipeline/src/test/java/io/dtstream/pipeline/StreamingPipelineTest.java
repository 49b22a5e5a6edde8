package io.dtstream.pipeline;

import io.dtstream.pipeline.testing.EndToEnd;
import io.dtstream.local.LocalKafka;
import io.dtstream.testing.HostileLines;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The streaming pipeline through a real broker, on the DirectRunner and on Spark local[2], and
 * under 100,000 hostile lines.
 */
public class StreamingPipelineTest {
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
  public void directRunnerCountsEveryRow() throws Exception {
    EndToEnd.runAndCompare(kafka, "--runner=DirectRunner");
  }

  @Test
  public void sparkRunnerCountsEveryRow() throws Exception {
    EndToEnd.runAndCompare(
        kafka,
        "--runner=SparkRunner",
        "--sparkMaster=local[2]",
        // windows expire within the run: Spark then fires empty panes, which must not replace
        // the windows' real messages
        "--allowedLatenessSeconds=4",
        "--checkpointDir=" + TEMP.newFolder().getAbsolutePath());
  }

  /**
   * Hostile lines, the shared generator's for a stream (odd but valid rows, malformed ones of every
   * kind, garbage, huge, blank and header lines): nothing escapes, every row is counted as the
   * independent re-implementation counts it, and every malformed one reaches the dead-letter topic
   * once.
   */
  @Test
  public void hostileLinesAreCountedOrDeadLettered() throws Exception {
    EndToEnd.runAndCompare(kafka, HostileLines.stream(11, 100_000), "--runner=DirectRunner");
  }
}
