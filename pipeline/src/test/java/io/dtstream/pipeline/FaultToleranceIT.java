package io.dtstream.pipeline;

import io.dtstream.pipeline.testing.FaultScenario;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Nothing lost through crashes on the SparkRunner ({@code local[2]}): the pipeline killed twice
 * and the broker once while rows flow ({@link FaultScenario}); every window must equal the
 * independent count.
 */
public class FaultToleranceIT {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void killedPipelineAndBrokerLoseNothing() throws Exception {
    Path javaArgs = Path.of(System.getProperty("user.dir"), "..", "runners", "spark-java17.args").normalize();
    List<String> jvm = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + javaArgs,
        "-Xmx1g",
        "-cp",
        System.getProperty("java.class.path"));
    new FaultScenario(
            temp.newFolder("scenario").toPath(),
            jvm,
            "--runner=SparkRunner",
            "--sparkMaster=local[2]",
            "--checkpointDir=" + temp.newFolder("checkpoints"))
        .killedPipelineAndBrokerLoseNothing();
  }
}
