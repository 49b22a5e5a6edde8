package io.dtstream.quality;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.dtstream.contract.results.Binning;
import io.dtstream.contract.results.ResultMessage.RangeHistogram;
import java.util.Random;
import org.junit.Test;

/** Time boxes drawn from a known shape: the fit gives back what was drawn. */
public class TimeBoxTest {
  private static final Binning FINE = Binning.DRIFT_TIME_FINE_NS;

  /** {@code entries} drift times uniform in [t0, t0 + tMax], smeared by sigma, plus a flat background. */
  static RangeHistogram box(long seed, int entries, double t0, double tMax, double sigma, int background) {
    Random random = new Random(seed);
    long[] counts = new long[FINE.bins];
    long under = 0;
    long over = 0;
    for (int i = 0; i < entries + background; i++) {
      double t = i < entries
          ? t0 + random.nextDouble() * tMax + random.nextGaussian() * sigma
          : FINE.first + random.nextDouble() * (FINE.last() - FINE.first);
      int bin = FINE.bin(t);
      if (bin < 0) {
        under++;
      } else if (bin >= FINE.bins) {
        over++;
      } else {
        counts[bin]++;
      }
    }
    return RangeHistogram.of(FINE, counts, under, over);
  }

  @Test
  public void aSmearedBoxGivesBackItsEdges() {
    TimeBox box = TimeBox.fit(box(1, 20_000, 3, 390, 3, 500));
    assertEquals(box.toString(), Status.ok, box.status());
    assertEquals(box.toString(), 3, box.t0Ns(), 1);
    assertEquals(box.toString(), 390, box.tMaxNs(), 1.5);
    assertEquals(box.toString(), 21000 / 390.0, box.driftVelocityUmPerNs(), 0.3);
  }

  @Test
  public void aSharpBoxGivesBackItsEdges() {
    TimeBox box = TimeBox.fit(box(2, 7_000, -0.5, 390, 0.01, 0));
    assertEquals(box.toString(), Status.ok, box.status());
    assertEquals(box.toString(), -0.5, box.t0Ns(), 1);
    assertEquals(box.toString(), 390, box.tMaxNs(), 1.5);
  }

  @Test
  public void tooFewEntriesAreInsufficientAndNoEntriesToo() {
    TimeBox few = TimeBox.fit(box(3, 500, 0, 390, 3, 0));
    assertEquals(Status.insufficient, few.status());
    assertEquals(500, few.entries());
    assertNull(few.t0Ns());
    assertEquals(Status.insufficient, TimeBox.fit(null).status());
    assertEquals(Status.insufficient, TimeBox.fit(RangeHistogram.of(FINE, new long[FINE.bins], 0, 0)).status());
  }

  @Test
  public void pathologicalHistogramsFailWithoutAnException() {
    long[] spike = new long[FINE.bins];
    spike[100] = 50_000;
    assertEquals(Status.failed, TimeBox.fit(RangeHistogram.of(FINE, spike, 0, 0)).status());
    long[] flat = new long[FINE.bins];
    java.util.Arrays.fill(flat, 100);
    assertEquals(Status.failed, TimeBox.fit(RangeHistogram.of(FINE, flat, 0, 0)).status());
    long[] huge = new long[FINE.bins];
    java.util.Arrays.fill(huge, 80, 200, Long.MAX_VALUE / 1_000);
    TimeBox.fit(RangeHistogram.of(FINE, huge, 0, 0));
  }
}
