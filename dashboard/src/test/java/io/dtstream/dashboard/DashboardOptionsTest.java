package io.dtstream.dashboard;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import org.junit.Test;
import picocli.CommandLine;

/** The dashboard's options are checked before anything starts, each refusal one line naming the option. */
public class DashboardOptionsTest {

  @Test
  public void theRateLimitMustBeAboveZero() {
    for (String limit : new String[] {"0", "-5", "NaN"}) {
      assertEquals("--noisyHz must be above 0, got " + Double.parseDouble(limit), refusal("--noisyHz=" + limit));
    }
  }

  /** The message start() refuses the options with; fails if it starts instead. */
  private static String refusal(String... options) {
    Dashboard dashboard = new Dashboard();
    String[] args = new String[options.length + 2];
    args[0] = "--port=0";
    args[1] = "--bootstrapServers=127.0.0.1:1"; // nothing there, should it start after all
    System.arraycopy(options, 0, args, 2, options.length);
    new CommandLine(dashboard).parseArgs(args);
    try {
      dashboard.start();
      fail("started with " + String.join(" ", options));
      return null;
    } catch (CommandLine.ParameterException expected) {
      return expected.getMessage();
    } finally {
      dashboard.close();
    }
  }
}
