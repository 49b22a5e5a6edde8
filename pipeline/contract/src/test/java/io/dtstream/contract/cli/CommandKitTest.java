package io.dtstream.contract.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

public class CommandKitTest {
  @Command(name = "dtstream probe", mixinStandardHelpOptions = true)
  static final class Probe implements Callable<Integer> {
    @Option(names = "--inputTopic")
    String topic = "none";

    @Option(names = "--fail")
    boolean fail;

    @Override
    public Integer call() {
      if (fail) {
        throw new IllegalStateException("broker gone\n  at line two");
      }
      System.out.print(topic);
      return 0;
    }
  }

  private record Run(int code, String out, String err) {}

  private static synchronized Run run(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      int code = CommandKit.execute("dtstream probe", new Probe(), args, Map.of("--topic", "--inputTopic"));
      return new Run(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  public void aUsageErrorIsOneLineAndExit2() {
    Run run = run("--bogusOption");
    assertEquals(CommandKit.USAGE, run.code());
    assertEquals("dtstream probe: Unknown option: '--bogusOption' (see dtstream probe --help)\n", run.err());
  }

  @Test
  public void aFailureIsOneLineAndExit1() {
    Run run = run("--fail");
    assertEquals(CommandKit.FAILURE, run.code());
    assertEquals("dtstream probe: IllegalStateException: broker gone at line two\n", run.err());
  }

  @Test
  public void anOldSpellingStillWorksWithANote() {
    Run run = run("--topic=raw");
    assertEquals(0, run.code());
    assertEquals("raw", run.out());
    assertEquals("dtstream probe: --topic is deprecated, use --inputTopic\n", run.err());
    assertArrayEquals(
        new String[] {"--inputTopic", "x", "--other=--topic"},
        CommandKit.renamed("n", new String[] {"--topic", "x", "--other=--topic"}, Map.of("--topic", "--inputTopic")));
  }

  @Test
  public void versionNamesTheProjectVersionAndCommit() {
    Run run = run("--version");
    assertEquals(0, run.code());
    assertThat(run.out().strip(), matchesPattern("dtstream \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?( \\(commit [0-9a-f]{10}(, modified)?\\))?"));
    assertEquals(CommandKit.version() + "\n", run.out());
  }
}
