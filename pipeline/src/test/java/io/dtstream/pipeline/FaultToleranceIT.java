package io.dtstream.pipeline;

import io.dtstream.pipeline.testing.FaultScenario;
import java.nio.file.Path;
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
    new FaultScenario(
            temp.newFolder("scenario").toPath(),
            Path.of(System.getProperty("user.dir"), "..", "runners", "spark-java17.args"),
            "--runner=SparkRunner",
            "--sparkMaster=local[2]",
            "--checkpointDir=" + temp.newFolder("checkpoints"))
        .killedPipelineAndBrokerLoseNothing();
  }
}
