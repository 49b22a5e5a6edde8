package io.dtstream.injector;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import io.dtstream.contract.cli.CommandKit;
import io.dtstream.testing.CommandRun;
import org.junit.Test;

/** {@code dtstream simulate}'s fault flags: what they plant is the sim: options' (see PlantedFaultsTest). */
public class SimulateCommandTest {
  private static CommandRun simulate(String... args) {
    return CommandRun.of(() -> CommandKit.execute("dtstream simulate", new Simulate(), args));
  }

  @Test
  public void theFlagsAreTheSimOptions() {
    CommandRun flags = simulate("--rows=3000", "--seed=4", "--delayNs", "2=12", "--tmaxNs=420", "--efficiency", "1.3=0.6");
    CommandRun spec = simulate("--rows=3000", "--seed=4", "--spec=delay.2=12.0,tmax=420.0,efficiency.1.3=0.6");
    CommandRun plain = simulate("--rows=3000", "--seed=4");
    assertEquals(flags.stderr(), 0, flags.exitCode());
    assertEquals(3001, flags.stdout().size());
    assertEquals(spec.stdout(), flags.stdout());
    assertNotEquals(plain.stdout(), flags.stdout());
  }

  @Test
  public void aFaultOutOfItsRangeIsOneLineAndExit2() {
    for (String[] args : new String[][] {
        {"--efficiency", "4.1=0.5"}, {"--efficiency", "1.5=0.5"}, {"--efficiency", "1.1=1.5"},
        {"--tmaxNs=0"}, {"--delayNs", "7=3"}, {"--spec=delay.2=NaN"}}) {
      CommandRun run = simulate(args);
      assertEquals(String.join(" ", args) + ": " + run.stderr(), 2, run.exitCode());
      assertEquals(run.stderr(), 1, run.stderr().strip().lines().count());
      assertThat(run.stderr(), containsString("dtstream simulate: "));
    }
  }
}
