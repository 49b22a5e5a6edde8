package io.dtstream.runners.flink;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.dtstream.local.LocalFlinkCluster;
import io.dtstream.local.LocalKafka;
import io.dtstream.pipeline.testing.EndToEnd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The pipeline submitted with its bundled jar to a Flink session cluster (a JobManager and one
 * TaskManager of 2 slots, started by the test as {@code dtstream flink-cluster} starts them),
 * reading from and writing to a real broker; every window against the independent count. An
 * integration test: it needs the bundled jar that {@code package} builds.
 */
public class FlinkClusterIT {
  @ClassRule public static final TemporaryFolder shared = new TemporaryFolder();
  private static LocalKafka kafka;
  private static LocalFlinkCluster cluster;

  @BeforeClass
  public static void startBrokerAndCluster() throws Exception {
    kafka = LocalKafka.startForTest(shared.newFolder("kafka").toPath());
    int[] ports = LocalKafka.freePorts(2);
    cluster = LocalFlinkCluster.start(
        shared.newFolder("flink").toPath(), System.getProperty("java.class.path"), 1, 2, "512m", ports[0], ports[1]);
    assertEquals(1, cluster.taskManagers());
  }

  @AfterClass
  public static void stopBrokerAndCluster() throws Exception {
    try (LocalKafka broker = kafka; LocalFlinkCluster flink = cluster) {
      // closed in this order: the cluster, then the broker
    }
  }

  @Test
  public void pipelineRunsOnASessionCluster() throws Exception {
    Path bundled = Path.of(System.getProperty("dtstream.bundledJar"));
    assertTrue("missing " + bundled, Files.isRegularFile(bundled));
    EndToEnd.runAndCompare(
        kafka,
        "--runner=FlinkRunner",
        "--flinkMaster=" + cluster.master(),
        "--filesToStage=" + bundled,
        "--stateBackendStoragePath=" + shared.newFolder("checkpoints").getAbsolutePath());
  }
}
