package io.dtstream.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.runners.spark.SparkRunner;
import org.junit.Test;

/** Runner defaults are keyed on the runner Beam parsed, whatever the spelling of --runner. */
public class RunnerDefaultsTest {

  @Test
  public void everySpellingOfTheSparkRunnerGetsTheSparkDefaults() {
    for (String spelling :
        List.of("SparkRunner", "spark", "Spark", "sparkrunner", "SPARKRUNNER", SparkRunner.class.getName())) {
      StreamingPipeline.Options options =
          Cli.parse(new String[] {"--runner=" + spelling}, StreamingPipeline.Options.class);
      SparkPipelineOptions spark = options.as(SparkPipelineOptions.class);
      assertEquals(spelling, SparkRunner.class, options.getRunner());
      assertFalse(spelling + ": a correctness setting", options.getCommitOffsets());
      assertEquals(spelling, "local[2]", spark.getSparkMaster());
      assertEquals(spelling, 1000L, (long) spark.getBatchIntervalMillis());
      assertEquals(spelling, 1000L, (long) spark.getCheckpointDurationMillis());
      assertEquals(spelling, 0.3, spark.getReadTimePercentage(), 1e-9);
      assertEquals(spelling, 0.5, options.getMaxDelaySeconds(), 0);
      assertEquals(
          spelling,
          Path.of("spark-checkpoints", StreamingPipeline.DEFAULT_CONSUMER_GROUP).toString(),
          Path.of(spark.getCheckpointDir()).subpath(
              Path.of(spark.getCheckpointDir()).getNameCount() - 2,
              Path.of(spark.getCheckpointDir()).getNameCount()).toString());
    }
  }

  @Test
  public void aClusterGetsLongerBatchesAndWhatIsGivenWins() {
    SparkPipelineOptions cluster =
        Cli.parse(
                new String[] {"--runner=spark", "--sparkMaster=spark://127.0.0.1:7077", "--consumerGroup=g"},
                StreamingPipeline.Options.class)
            .as(SparkPipelineOptions.class);
    assertEquals(4000L, (long) cluster.getBatchIntervalMillis());
    assertEquals(4000L, (long) cluster.getCheckpointDurationMillis());
    assertEquals(2.0, cluster.as(StreamingPipeline.Options.class).getMaxDelaySeconds(), 0);
    assertThat(cluster.getCheckpointDir(), containsString(Path.of("spark-checkpoints", "g").toString()));

    StreamingPipeline.Options given =
        Cli.parse(
            new String[] {"--runner=SparkRunner", "--batchIntervalMillis=3000", "--commitOffsets=true"},
            StreamingPipeline.Options.class);
    assertEquals(3000L, (long) given.as(SparkPipelineOptions.class).getCheckpointDurationMillis());
    assertEquals(true, given.getCommitOffsets());
  }

  @Test
  public void theDirectRunnerRunsWithoutTestChecksAndReturnsWhileRunning() {
    for (String[] args : List.of(new String[0], new String[] {"--runner=direct"}, new String[] {"--runner=DirectRunner"})) {
      DirectOptions direct = Cli.parse(args, StreamingPipeline.Options.class).as(DirectOptions.class);
      assertFalse(direct.isEnforceImmutability());
      assertFalse(direct.isEnforceEncodability());
      assertFalse(direct.isBlockOnRun());
      assertEquals(true, direct.as(StreamingPipeline.Options.class).getCommitOffsets());
    }
  }

  @Test
  public void theSlackTakesDecimalsToTheMillisecondAndOneLineForAValueOutOfRange() {
    StreamingPipeline.Options direct = Cli.parse(new String[0], StreamingPipeline.Options.class);
    assertEquals(2.0, direct.getMaxDelaySeconds(), 0);
    direct.setMaxDelaySeconds(0.25);
    assertEquals(org.joda.time.Duration.millis(250), StreamingPipeline.maxDelay(direct));
    for (double bad : new double[] {-1, Double.NaN, 4000}) {
      direct.setMaxDelaySeconds(bad);
      assertThat(
          org.junit.Assert.assertThrows(io.dtstream.contract.cli.CommandKit.UsageError.class, () -> StreamingPipeline.maxDelay(direct))
              .getMessage(),
          containsString("--maxDelaySeconds must be between 0 and 3600"));
    }
  }

  @Test
  public void helpListsTheOptionsOfTheRunnerChosen() {
    String spark = help("--runner=spark");
    assertThat(spark, containsString("--sparkMaster"));
    assertThat(spark, containsString("--checkpointDir"));
    assertThat(spark, containsString("--inputTopic"));
    String direct = help();
    assertThat(direct, containsString("--enforceImmutability"));
    assertThat(direct, not(containsString("--sparkMaster")));
  }

  private static String help(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        Cli.help(
            "pipeline", "purpose", args, StreamingPipeline.Options.class,
            new PrintStream(out, true, StandardCharsets.UTF_8));
    assertEquals(0, code);
    return out.toString(StandardCharsets.UTF_8);
  }
}
