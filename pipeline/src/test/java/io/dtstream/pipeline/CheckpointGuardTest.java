package io.dtstream.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.testing.CommandRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** A SparkRunner checkpoint of another job is refused, never restored silently. */
public class CheckpointGuardTest {
  @Rule public final TemporaryFolder temp = new TemporaryFolder();

  private StreamingPipeline.Options options(Path checkpoint, String... more) {
    String[] args = new String[more.length + 2];
    args[0] = "--runner=spark";
    args[1] = "--checkpointDir=" + checkpoint;
    System.arraycopy(more, 0, args, 2, more.length);
    return Cli.parse(args, StreamingPipeline.Options.class);
  }

  private static void guard(StreamingPipeline.Options options) {
    Path folder = RunnerDefaults.checkpointDir(options).orElseThrow();
    CheckpointGuard.check(folder, CheckpointGuard.shape(options), options.getDiscardCheckpoint());
  }

  @Test
  public void theSameJobRestartsAndAnotherIsRefusedWithTheOptionAndTheRemedy() throws Exception {
    Path checkpoint = temp.getRoot().toPath().resolve("group-a");
    guard(options(checkpoint, "--inputTopic=run1"));
    assertTrue(Files.exists(checkpoint.resolve(CheckpointGuard.FILE)));
    Files.writeString(checkpoint.resolve("spark-state"), "what Spark keeps");
    guard(options(checkpoint, "--inputTopic=run1")); // the same command again: a restart

    CommandKit.UsageError refused =
        assertThrows(CommandKit.UsageError.class, () -> guard(options(checkpoint, "--inputTopic=run2")));
    assertThat(refused.getMessage(), containsString("--inputTopic=run1, not run2"));
    assertThat(refused.getMessage(), containsString("--consumerGroup"));
    assertThat(refused.getMessage(), containsString("--discardCheckpoint"));
    CommandKit.UsageError otherWindows =
        assertThrows(CommandKit.UsageError.class,
            () -> guard(options(checkpoint, "--inputTopic=run1", "--windowSeconds=10")));
    assertThat(otherWindows.getMessage(), containsString("--windowSeconds=5, not 10"));

    guard(options(checkpoint, "--inputTopic=run2", "--discardCheckpoint"));
    assertFalse("the old state is gone", Files.exists(checkpoint.resolve("spark-state")));
    guard(options(checkpoint, "--inputTopic=run2")); // recorded anew
  }

  @Test
  public void theSlackIsRecordedAsAPlainNumberAsWhenItTookWholeSeconds() throws Exception {
    Path checkpoint = temp.getRoot().toPath().resolve("group-c");
    guard(options(checkpoint, "--maxDelaySeconds=2"));
    assertThat(Files.readString(checkpoint.resolve(CheckpointGuard.FILE)), containsString("maxDelaySeconds=2\n"));
    guard(options(checkpoint, "--maxDelaySeconds=2.0")); // the same slack, spelt otherwise
    CommandKit.UsageError refused =
        assertThrows(CommandKit.UsageError.class, () -> guard(options(checkpoint, "--maxDelaySeconds=0.5")));
    assertThat(refused.getMessage(), containsString("--maxDelaySeconds=2, not 0.5"));
  }

  @Test
  public void stateWithoutARecordIsRefusedAndOtherRunnersHaveNoCheckpointToGuard() throws Exception {
    Path old = temp.newFolder("old").toPath();
    Files.writeString(old.resolve("checkpoint-1700000000000"), "an earlier version's state");
    CommandKit.UsageError refused = assertThrows(CommandKit.UsageError.class, () -> guard(options(old)));
    assertThat(refused.getMessage(), containsString(CheckpointGuard.FILE));
    assertFalse(RunnerDefaults.checkpointDir(Cli.parse(new String[0], StreamingPipeline.Options.class)).isPresent());
  }

  @Test
  public void theCommandSaysSoInOneLineWithExitCode2BeforeItNeedsKafka() throws Exception {
    Path checkpoint = temp.getRoot().toPath().resolve("group-b");
    guard(options(checkpoint, "--inputTopic=run1"));
    CommandRun run =
        CommandRun.of(
            () ->
                Cli.run(
                    "pipeline",
                    new String[] {"--runner=spark", "--checkpointDir=" + checkpoint, "--inputTopic=run2",
                        "--bootstrapServers=127.0.0.1:1"},
                    StreamingPipeline.Options.class,
                    StreamingPipeline::runUntilStopped));
    assertEquals(run.stderr(), 2, run.exitCode());
    assertEquals(run.stderr(), 1, run.stderr().strip().lines().count());
    assertThat(run.stderr(), containsString("dtstream pipeline: the checkpoint folder"));
  }
}
