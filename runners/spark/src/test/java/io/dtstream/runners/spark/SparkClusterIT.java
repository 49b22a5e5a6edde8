package io.dtstream.runners.spark;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.dtstream.pipeline.testing.EndToEnd;
import io.dtstream.local.LocalKafka;
import io.dtstream.local.LocalSparkCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The bundled pipeline jar submitted to a Spark standalone cluster (a master and one worker,
 * started by the test as {@code dtstream spark-cluster} does), reading from and writing to a real
 * broker. An integration test: it needs the bundled jar that {@code package} builds.
 */
public class SparkClusterIT {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void pipelineRunsOnAStandaloneCluster() throws Exception {
    Path bundled = Path.of(System.getProperty("dtstream.bundledJar"));
    assertTrue("missing " + bundled, Files.isRegularFile(bundled));
    int[] sparkPorts = LocalKafka.freePorts(2);
    try (LocalKafka kafka = LocalKafka.startForTest(temp.newFolder("kafka").toPath());
        LocalSparkCluster cluster =
            LocalSparkCluster.start(
                temp.newFolder("spark").toPath(),
                System.getProperty("java.class.path"),
                1, 2, "1g", sparkPorts[0], sparkPorts[1])) {
      assertEquals(1, cluster.aliveWorkers());
      EndToEnd.runAndCompare(
          kafka,
          "--runner=SparkRunner",
          "--sparkMaster=" + cluster.masterUrl(),
          "--filesToStage=" + bundled,
          "--checkpointDir=" + temp.newFolder("checkpoints").getAbsolutePath());
    }
  }
}
