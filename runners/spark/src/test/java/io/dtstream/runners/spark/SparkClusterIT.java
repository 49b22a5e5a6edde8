package io.dtstream.runners.spark;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.dtstream.pipeline.testing.EndToEnd;
import io.dtstream.local.LocalKafka;
import io.dtstream.local.LocalSparkCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The bundled pipeline jar submitted to a Spark standalone cluster (a master and one worker,
 * started by the test as {@code dtstream spark-cluster} does), reading from and writing to a real
 * broker: from a driver in this JVM, and through Spark's own {@code SparkSubmit} with the jar's
 * {@code Main-Class}. An integration test: it needs the bundled jar that {@code package} builds.
 */
public class SparkClusterIT {
  @ClassRule public static final TemporaryFolder shared = new TemporaryFolder();
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  // One broker and one cluster for both tests: each starts its own topics and consumer group.
  private static LocalKafka kafka;
  private static LocalSparkCluster cluster;

  @BeforeClass
  public static void startBrokerAndCluster() throws Exception {
    kafka = LocalKafka.startForTest(shared.newFolder("kafka").toPath());
    int[] sparkPorts = LocalKafka.freePorts(2);
    cluster = LocalSparkCluster.start(
        shared.newFolder("spark").toPath(), System.getProperty("java.class.path"), 1, 2, "1g",
        sparkPorts[0], sparkPorts[1]);
    assertEquals(1, cluster.aliveWorkers());
  }

  @AfterClass
  public static void stopBrokerAndCluster() throws Exception {
    try (LocalKafka broker = kafka; LocalSparkCluster spark = cluster) {
      // closed in this order: the cluster, then the broker
    }
  }

  @Test
  public void pipelineRunsOnAStandaloneCluster() throws Exception {
    EndToEnd.runAndCompare(kafka, clusterArgs());
  }

  /** As README shows it: spark-submit with the jar and the pipeline's options, no class name. */
  @Test
  public void bundledJarRunsThroughSparkSubmit() throws Exception {
    Path javaArgs = Path.of(System.getProperty("user.dir"), "..", "spark-java17.args").normalize();
    EndToEnd.runAndCompareLaunched(
        kafka,
        args -> {
          List<String> command = new ArrayList<>(List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "@" + javaArgs,
              "-Xmx1g",
              // This JVM's classpath (the SparkRunner's) stands in for a Spark installation's jars/.
              "-cp", System.getProperty("java.class.path"),
              "org.apache.spark.deploy.SparkSubmit",
              "--master", cluster.masterUrl(),
              "--deploy-mode", "client",
              bundledJar().toString()));
          command.addAll(args);
          Process submit = new ProcessBuilder(command).inheritIO().start();
          return () -> {
            if (!submit.isAlive()) {
              throw new AssertionError("spark-submit exited before the test ended: " + submit.exitValue());
            }
            submit.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          };
        },
        clusterArgs());
  }

  /** The pipeline on the cluster, its executors given the bundled jar. */
  private String[] clusterArgs() throws Exception {
    return new String[] {
      "--runner=SparkRunner",
      "--sparkMaster=" + cluster.masterUrl(),
      "--filesToStage=" + bundledJar(),
      "--checkpointDir=" + temp.newFolder("checkpoints").getAbsolutePath()
    };
  }

  private static Path bundledJar() {
    Path bundled = Path.of(System.getProperty("dtstream.bundledJar"));
    assertTrue("missing " + bundled, Files.isRegularFile(bundled));
    return bundled;
  }
}
