package io.dtstream.injector;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.dtstream.contract.results.Binning;
import io.dtstream.contract.model.Ancillary;
import io.dtstream.contract.model.Chambers;
import io.dtstream.contract.model.Hit;
import io.dtstream.contract.model.ParsedRow;
import io.dtstream.contract.model.RowParser;
import io.dtstream.pipeline.stats.DetectorStats;
import io.dtstream.pipeline.stats.OrbitBlock;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The simulation against the physics of README, "The injector" (its simulation paragraph), and
 * pipeline/contract/README.md, "Geometry", measured with the pipeline's own statistics:
 * what the dashboard will show for it must look like the real detector.
 */
public class DetectorSimulationTest {
  private static final int ROWS = 300_000;
  private static final int CHANNELS = Chambers.CHANNELS_PER_CHAMBER;
  private static DetectorStats stats;

  @BeforeClass
  public static void simulate() {
    stats = statsOf("sim:seed=42", ROWS);
  }

  /** The pipeline's per-window quantities of the first {@code rows} rows of a simulation, as one window. */
  static DetectorStats statsOf(String spec, int rows) {
    OrbitBlock block = new OrbitBlock();
    DetectorSimulation simulation = DetectorSimulation.fromSpec(spec);
    for (int i = 0; i < rows; i++) {
      ParsedRow row = RowParser.parse(simulation.next());
      if (row instanceof Hit hit) {
        block.addHit(hit, 0);
      } else if (row instanceof Ancillary) {
        block.addAncillary(0);
      } else {
        block.addMalformed(0);
      }
    }
    return block.close();
  }

  @Test
  public void theSameSeedGivesTheSameBytes() throws Exception {
    assertArrayEquals(csv(9, 20_000), csv(9, 20_000));
    assertTrue(!Arrays.equals(csv(9, 1_000), csv(10, 1_000)));
  }

  @Test
  public void everyRowIsWellFormedAndAboutOneInSevenIsAncillary() {
    assertEquals(ROWS, stats.rows);
    assertEquals(0, stats.malformed);
    double ancillaryShare = (double) stats.ancillary / stats.rows;
    assertTrue("ancillary share " + ancillaryShare, ancillaryShare > 0.10 && ancillaryShare < 0.20);
  }

  @Test
  public void everyChamberSeesAFairShareOfTheMuons() {
    long chamberHits = stats.hits - stats.unmapped;
    for (int chamber = 0; chamber < Chambers.COUNT; chamber++) {
      double share = (double) stats.chamberHits(chamber) / chamberHits;
      assertTrue("chamber " + chamber + " has " + share + " of the hits", share > 0.15 && share < 0.35);
    }
  }

  @Test
  public void driftTimesFillABoxFromZeroTo390Nanoseconds() {
    for (int chamber = 0; chamber < Chambers.COUNT; chamber++) {
      long[] drift = Arrays.copyOfRange(stats.driftTime, chamber * DetectorStats.DRIFT_BINS, (chamber + 1) * DetectorStats.DRIFT_BINS);
      long inside = sum(drift, binOf(0), binOf(400));
      long all = sum(drift, 0, drift.length) + stats.driftUnderflow[chamber] + stats.driftOverflow[chamber];
      assertTrue("chamber " + chamber + ": " + inside + " of " + all + " drift times in 0-400 ns", inside > 0.85 * all);
      // flat inside: every 10 ns bin from 20 to 370 ns within a factor 3 of the box's mean
      double mean = sum(drift, binOf(20), binOf(370)) / 35.0;
      for (int bin = binOf(20); bin < binOf(370); bin++) {
        assertTrue("chamber " + chamber + " bin " + bin + ": " + drift[bin] + " vs " + mean,
            drift[bin] > mean / 3 && drift[bin] < mean * 3);
      }
      // empty outside but for noise
      assertTrue(sum(drift, binOf(-200), binOf(-20)) < 0.02 * all);
      assertTrue(sum(drift, binOf(420), drift.length) < 0.02 * all);
    }
  }

  @Test
  public void activeChannelsPerOrbitPeakAtOneForNoiseAndAtThreeOrFourForMuons() {
    for (int chamber = 0; chamber < Chambers.COUNT; chamber++) {
      long[] active = Arrays.copyOfRange(stats.activeChannels, chamber * CHANNELS, (chamber + 1) * CHANNELS);
      int muonPeak = 1;
      for (int bin = 1; bin < CHANNELS; bin++) {
        if (active[bin] > active[muonPeak]) {
          muonPeak = bin;
        }
      }
      String histogram = Arrays.toString(Arrays.copyOf(active, 8));
      assertTrue("chamber " + chamber + " muon peak at " + (muonPeak + 1) + " channels: " + histogram,
          muonPeak == 2 || muonPeak == 3);
      assertTrue("no dip between noise and muons: " + histogram, active[1] < active[muonPeak]);
      assertTrue("no noise peak: " + histogram, active[0] > active[1]);
    }
  }

  @Test
  public void deadChannelsStaySilentAndNoisyOnesStandOut() {
    for (int cell : DetectorSimulation.DEAD) {
      assertEquals("dead channel " + cell, 0, stats.occupancy[cell]);
    }
    for (int cell : DetectorSimulation.NOISY) {
      int chamber = cell / CHANNELS;
      long[] occupancy = Arrays.copyOfRange(stats.occupancy, chamber * CHANNELS, (chamber + 1) * CHANNELS);
      long median = Arrays.stream(occupancy).sorted().toArray()[CHANNELS / 2];
      assertTrue("noisy channel " + cell + ": " + stats.occupancy[cell] + " vs median " + median,
          stats.occupancy[cell] > 5 * median);
    }
  }

  private static int binOf(int ns) {
    return Binning.DRIFT_TIME_NS.bin(ns);
  }

  private static long sum(long[] values, int from, int to) {
    return Arrays.stream(values, from, to).sum();
  }

  private static byte[] csv(long seed, long rows) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Simulate.writeCsv(DetectorSimulation.fromSpec("sim:seed=" + seed), rows, out);
    return out.toByteArray();
  }
}
