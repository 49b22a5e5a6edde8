package io.dtstream.runners.flink;

import io.dtstream.local.LocalKafka;
import io.dtstream.pipeline.testing.EndToEnd;
import io.dtstream.testing.RowGenerator;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The streaming pipeline on the FlinkRunner (the embedded Flink, as {@code dtstream pipeline
 * --runner=FlinkRunner} runs it) through a real broker: every window and every dead letter
 * against the independent count, packed records and malformed rows included. Here, not in
 * pipeline/, whose test classpath has Spark.
 */
public class FlinkEndToEndIT {
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
  public void flinkRunnerCountsEveryRow() throws Exception {
    EndToEnd.runAndCompare(kafka, flink());
  }

  /**
   * A partition whose rows arrive only after the other partitions' windows have been emitted (the
   * FlinkRunner holds the watermark at the slowest partition until that one has been idle for
   * {@code --idleSeconds}): its rows come late, within the allowed lateness, and none is lost.
   */
  @Test
  public void flinkRunnerLosesNothingWhenAPartitionLagsFarBehind() throws Exception {
    EndToEnd.runAndCompareWithLaggingPartition(kafka, RowGenerator.generate(31, 4_000, 12), flink());
  }

  private static String[] flink() throws Exception {
    return new String[] {
      "--runner=FlinkRunner", "--stateBackendStoragePath=" + TEMP.newFolder().getAbsolutePath()
    };
  }
}
