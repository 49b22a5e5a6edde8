package io.dtstream.pipeline;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The FlinkRunner's defaults (RunnerDefaults) and the restore of its newest retained checkpoint. */
public class FlinkRunnerDefaultsTest {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void everySpellingOfTheFlinkRunnerGetsTheFlinkDefaults() {
    for (String spelling : List.of("FlinkRunner", "flink", "Flink", "FLINKRUNNER", FlinkRunner.class.getName())) {
      StreamingPipeline.Options options = Cli.parse(new String[] {"--runner=" + spelling}, StreamingPipeline.Options.class);
      FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
      assertEquals(spelling, FlinkRunner.class, options.getRunner());
      assertEquals(spelling, "[local]", flink.getFlinkMaster());
      assertEquals(spelling, 2, (int) flink.getParallelism());
      assertEquals(spelling, 5000L, (long) flink.getCheckpointingInterval());
      assertEquals(spelling, 250L, (long) flink.getMaxBundleTimeMills());
      assertEquals(spelling, 100L, (long) flink.getMaxBundleSize());
      assertTrue(spelling, flink.getObjectReuse());
      assertTrue(spelling, flink.getDisableMetrics());
      assertEquals(spelling, 0.5, options.getMaxDelaySeconds(), 0);
      assertFalse(spelling, flink.getAttachedMode());
      assertTrue(spelling, flink.isExternalizedCheckpointsEnabled());
      assertTrue(spelling, flink.getRetainExternalizedCheckpointsOnCancellation());
      assertEquals(spelling, "filesystem", flink.getStateBackend());
      assertTrue(spelling, options.getCommitOffsets());
      Path folder = RunnerDefaults.checkpointDir(options).orElseThrow();
      assertTrue(flink.getStateBackendStoragePath(), flink.getStateBackendStoragePath().startsWith("file:/"));
      assertEquals(Path.of("flink-checkpoints", StreamingPipeline.DEFAULT_CONSUMER_GROUP), folder.subpath(folder.getNameCount() - 2, folder.getNameCount()));
    }
  }

  @Test
  public void optionsGivenWinOverTheFlinkDefaults() {
    StreamingPipeline.Options options =
        Cli.parse(new String[] {"--runner=flink", "--maxDelaySeconds=3", "--maxBundleSize=1000"}, StreamingPipeline.Options.class);
    assertEquals(3.0, options.getMaxDelaySeconds(), 0);
    assertEquals(1000L, (long) options.as(FlinkPipelineOptions.class).getMaxBundleSize());
  }

  @Test
  public void aClusterKeepsItsOwnParallelismAndAPlainFolderBecomesAUri() throws Exception {
    Path folder = temp.newFolder("cp").toPath();
    FlinkPipelineOptions cluster =
        Cli.parse(
                new String[] {"--runner=flink", "--flinkMaster=127.0.0.1:8081", "--stateBackendStoragePath=" + folder},
                StreamingPipeline.Options.class)
            .as(FlinkPipelineOptions.class);
    assertEquals(null, cluster.getParallelism() == null || cluster.getParallelism() < 0 ? null : cluster.getParallelism());
    assertEquals(folder.toUri().toString(), cluster.getStateBackendStoragePath());
    assertEquals(Optional.of(folder), RunnerDefaults.checkpointDir(cluster));
  }

  @Test
  public void aStartResumesFromTheNewestCompletedCheckpointAndDropsOlderJobs() throws Exception {
    Path folder = temp.newFolder("checkpoints").toPath();
    Path oldJob = Files.createDirectories(folder.resolve("0123456789abcdef0123456789abcdef"));
    Path newJob = Files.createDirectories(folder.resolve("fedcba9876543210fedcba9876543210"));
    Files.createFile(Files.createDirectories(oldJob.resolve("chk-7")).resolve("_metadata"));
    Files.createFile(Files.createDirectories(newJob.resolve("chk-12")).resolve("_metadata"));
    Files.createDirectories(newJob.resolve("chk-13")); // never completed: no _metadata
    Files.createDirectories(newJob.resolve("shared"));

    StreamingPipeline.Options options =
        Cli.parse(new String[] {"--runner=FlinkRunner", "--stateBackendStoragePath=" + folder}, StreamingPipeline.Options.class);
    assertEquals(Optional.of(newJob.resolve("chk-12")), RunnerDefaults.restore(options));
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    assertEquals(newJob.resolve("chk-12").toString(), flink.getSavepointPath());
    // the embedded Flink reads it from a configuration folder
    String config = Files.readString(Path.of(flink.getFlinkConfDir()).resolve("config.yaml"));
    assertTrue(config, config.contains("execution.savepoint.path: '" + newJob.resolve("chk-12") + "'"));
    assertFalse("an older job's checkpoints are dropped", Files.exists(oldJob));

    // --discardCheckpoint empties the folder first: a fresh start
    StreamingPipeline.Options fresh =
        Cli.parse(new String[] {"--runner=FlinkRunner", "--stateBackendStoragePath=" + folder, "--discardCheckpoint"}, StreamingPipeline.Options.class);
    CheckpointGuard.check(RunnerDefaults.checkpointDir(fresh).orElseThrow(), CheckpointGuard.shape(fresh), true);
    assertEquals(Optional.empty(), RunnerDefaults.restore(fresh));
    assertEquals(null, fresh.as(FlinkPipelineOptions.class).getSavepointPath());
  }
}
