package io.dtstream.runners.flink;

import io.dtstream.pipeline.testing.FaultScenario;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Nothing lost through crashes on the FlinkRunner (the embedded Flink): the pipeline killed with
 * SIGKILL twice, each time started again with the same command (which resumes from the newest
 * retained checkpoint), and the broker once, while rows flow ({@link FaultScenario}); every window
 * must equal the independent count.
 */
public class FlinkFaultToleranceIT {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void killedPipelineAndBrokerLoseNothing() throws Exception {
    new FaultScenario(
            temp.newFolder("scenario").toPath(),
            Path.of(System.getProperty("user.dir"), "..", "flink-java17.args"),
            "--runner=FlinkRunner",
            "--stateBackendStoragePath=" + temp.newFolder("checkpoints"))
        .killedPipelineAndBrokerLoseNothing();
  }
}
