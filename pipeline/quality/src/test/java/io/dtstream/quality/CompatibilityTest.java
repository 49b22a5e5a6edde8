package io.dtstream.quality;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.Random;
import org.junit.Test;

public class CompatibilityTest {
  /** {@code entries} values of a Gaussian (mean, sigma in bins) in 100 unit bins. */
  private static long[] gaussian(Random random, int entries, double mean, double sigma) {
    long[] counts = new long[100];
    for (int i = 0; i < entries; i++) {
      int bin = (int) Math.floor(mean + sigma * random.nextGaussian());
      counts[Math.max(0, Math.min(99, bin))]++;
    }
    return counts;
  }

  @Test
  public void theChi2IsTheTwoSampleStatisticOverTheBinsUsed() {
    long[] observed = new long[1_200];
    long[] reference = new long[1_200];
    // three bins used (two empty on both sides), the rest zero: ndf 2
    observed[0] = 400;
    observed[5] = 500;
    observed[9] = 300;
    reference[0] = 900;
    reference[5] = 900;
    reference[9] = 1_200;
    Compatibility c = Compatibility.of("h", observed, reference);
    // ROOT's UU statistic, written out: sum (M n_i - N m_i)^2 / (N M (n_i + m_i))
    double n = 1_200;
    double m = 3_000;
    double expected = Math.pow(m * 400 - n * 900, 2) / (n * m * 1_300)
        + Math.pow(m * 500 - n * 900, 2) / (n * m * 1_400)
        + Math.pow(m * 300 - n * 1_200, 2) / (n * m * 1_500);
    assertEquals(expected, c.chi2(), 1e-9);
    assertEquals(Integer.valueOf(2), c.ndf());
    assertEquals(expected / 2, c.chi2PerNdf(), 1e-9);
    assertEquals(Math.exp(-expected / 2), c.chi2P(), 1e-9); // chi2 with 2 dof: p = exp(-x/2)
    assertEquals(1_200, c.entries());
    assertEquals(3_000, c.referenceEntries());
  }

  @Test
  public void samplesOfOneShapeAgreeWhateverTheirSizesAndAShiftedOneFails() {
    Random random = new Random(11);
    long[] reference = gaussian(random, 200_000, 50, 8);
    Compatibility same = Compatibility.of("h", gaussian(random, 5_000, 50, 8), reference);
    assertEquals(Compatibility.Level.ok, same.status());
    Compatibility shifted = Compatibility.of("h", gaussian(random, 5_000, 52, 8), reference);
    assertEquals(Compatibility.Level.error, shifted.status());
    assertTrue(shifted.ksP() < Compatibility.ERROR_P);
    assertTrue(shifted.chi2P() < Compatibility.ERROR_P);
  }

  /** Under the same shape the p-values are uniform: about 5 % of them lie below 0.05. */
  @Test
  public void thePValuesAreCalibrated() {
    Random random = new Random(12);
    int below = 0;
    int belowKs = 0;
    int trials = 400;
    for (int i = 0; i < trials; i++) {
      Compatibility c = Compatibility.of("h", gaussian(random, 3_000, 50, 10), gaussian(random, 9_000, 50, 10));
      below += c.chi2P() < 0.05 ? 1 : 0;
      belowKs += c.ksP() < 0.05 ? 1 : 0;
    }
    assertEquals(0.05, (double) below / trials, 0.03);
    // the binned KS test errs on the safe side: fewer, never many more
    assertTrue(belowKs + " of " + trials, belowKs <= 0.08 * trials);
  }

  @Test
  public void fewEntriesAreNotJudgedAndUnlikeBinsAreRefused() {
    Random random = new Random(13);
    Compatibility few = Compatibility.of("h", gaussian(random, 999, 50, 8), gaussian(random, 100_000, 50, 8));
    assertEquals(Compatibility.Level.insufficient, few.status());
    assertNull(few.chi2P());
    assertEquals(Compatibility.Level.insufficient, Compatibility.of("h", null, gaussian(random, 5_000, 50, 8)).status());
    assertThrows(IllegalArgumentException.class,
        () -> Compatibility.of("h", gaussian(random, 5_000, 50, 8), new long[] {5_000}));
  }
}
