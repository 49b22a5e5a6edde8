package io.dtstream.runners.flink;

import io.dtstream.local.LocalKafka;
import io.dtstream.pipeline.testing.EndToEnd;
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

  private static String[] flink() throws Exception {
    return new String[] {
      "--runner=FlinkRunner", "--stateBackendStoragePath=" + TEMP.newFolder().getAbsolutePath()
    };
  }
}
