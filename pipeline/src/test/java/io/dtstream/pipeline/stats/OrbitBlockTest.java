package io.dtstream.pipeline.stats;

import static org.junit.Assert.assertEquals;

import io.dtstream.contract.model.Hit;
import io.dtstream.contract.results.Binning;
import java.util.List;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;

public class OrbitBlockTest {
  private static final long T = 1000L;

  /** bx and tdc from a tick count within the orbit. */
  private static Hit hit(int fpga, int channel, long orbit, int ticksInOrbit) {
    return new Hit(fpga, channel, orbit, ticksInOrbit / 30, ticksInOrbit % 30);
  }

  /**
   * Orbit 100: two scintillator hits (the earlier at tick 3000) and five chamber-0 hits whose drift
   * times, t_hit - t_scint + 93.9 ns with 1 tick = 25/30 ns, are: d=300 -> 343.9 ns (bin 54),
   * d=607 -> 599.73 (bin 79), d=608 -> 600.57 (overflow), d=-353 -> -200.27 (underflow),
   * d=-352 -> -199.43 (bin 0). Orbit 101: four chamber-3 channels, no scintillator. Orbit 102: one
   * unmapped hit.
   */
  private static List<Hit> sampleHits() {
    return List.of(
        hit(1, 128, 100, 3600),
        hit(0, 1, 100, 3300),
        hit(0, 2, 100, 3607),
        hit(1, 128, 100, 3000),
        hit(0, 3, 100, 3608),
        hit(0, 4, 100, 2647),
        hit(0, 5, 100, 2648),
        hit(1, 64, 101, 500),
        hit(1, 65, 101, 510),
        hit(1, 66, 101, 520),
        hit(1, 67, 101, 530),
        hit(0, 130, 102, 7));
  }

  private static DetectorStats expected() {
    DetectorStats s = new DetectorStats();
    s.rows = 12;
    s.hits = 12;
    s.unmapped = 3;
    s.scintillator = 2;
    s.orbits = 3;
    s.scintillatorOrbits = 1;
    s.firstMillis = T;
    s.lastMillis = T;
    for (int channel = 1; channel <= 5; channel++) {
      s.occupancy[channel] = 1;
      s.scintillatorOccupancy[channel] = 1;
    }
    for (int channel = 0; channel < 4; channel++) {
      s.occupancy[3 * 64 + channel] = 1;
    }
    s.activeChannels[4] = 1; // chamber 0: 5 channels in orbit 100
    s.activeChannels[3 * 64 + 3] = 1; // chamber 3: 4 channels in orbit 101
    s.driftTime[54] = 1;
    s.driftTime[79] = 1;
    s.driftTime[0] = 1;
    s.driftUnderflow[0] = 1;
    s.driftOverflow[0] = 1;
    // the fine drift time: 343.9 ns in bin 177 of 2.5 ns from -100 ns, two below, two at 500 and above
    Binning fine = Binning.DRIFT_TIME_FINE_NS;
    s.driftTimeFine[DetectorStats.rangeIndex(fine, 0, 177)] = 1;
    s.driftTimeFine[DetectorStats.rangeIndex(fine, 0, -1)] = 2;
    s.driftTimeFine[DetectorStats.rangeIndex(fine, 0, fine.bins)] = 2;
    return s;
  }

  @Test
  public void closesOrbitsIntoAllQuantities() {
    OrbitBlock block = new OrbitBlock();
    sampleHits().forEach(h -> block.addHit(h, T));
    assertEquals(expected(), block.close());
    assertEquals(3, block.openOrbits());
  }

  @Test
  public void partsOfAnOrbitMergedInAnyOrderGiveTheSameResult() {
    List<Hit> hits = sampleHits();
    for (int split = 0; split <= hits.size(); split++) {
      OrbitBlock first = new OrbitBlock();
      OrbitBlock second = new OrbitBlock();
      hits.subList(0, split).forEach(h -> first.addHit(h, T));
      hits.subList(split, hits.size()).forEach(h -> second.addHit(h, T));
      assertEquals(expected(), new OrbitBlock().merge(second).merge(first).close());
    }
  }

  @Test
  public void mergeLeavesItsArgumentUnchanged() throws Exception {
    OrbitBlock source = new OrbitBlock();
    sampleHits().forEach(h -> source.addHit(h, T));
    OrbitBlock copy = CoderUtils.clone(OrbitBlockCoder.of(), source);
    OrbitBlock target = new OrbitBlock();
    sampleHits().forEach(h -> target.addHit(h, T));
    target.merge(source);
    assertEquals(copy, source);
  }

  @Test
  public void rowCountersAndTimes() {
    OrbitBlock block = new OrbitBlock();
    block.addAncillary(5);
    block.addMalformed(OrbitBlock.NO_TIME);
    block.addMalformed(9);
    DetectorStats stats = block.close();
    assertEquals(3, stats.rows);
    assertEquals(1, stats.ancillary);
    assertEquals(2, stats.malformed);
    assertEquals(5, stats.firstMillis);
    assertEquals(9, stats.lastMillis);
  }

  @Test
  public void codersRoundTrip() throws Exception {
    OrbitBlock block = new OrbitBlock();
    sampleHits().forEach(h -> block.addHit(h, T));
    block.addAncillary(3);
    CoderProperties.coderDecodeEncodeEqual(OrbitBlockCoder.of(), block);
    CoderProperties.coderDecodeEncodeEqual(OrbitBlockCoder.of(), new OrbitBlock());
    CoderProperties.coderDecodeEncodeEqual(DetectorStatsCoder.of(), block.close());
    CoderProperties.coderDecodeEncodeEqual(DetectorStatsCoder.of(), new DetectorStats());
  }

  @Test
  public void sparseHistogramsRoundTripFullAndEdgeBins() throws Exception {
    DetectorStats full = new DetectorStats();
    long value = 1;
    for (long[] histogram : full.histograms()) {
      for (int i = 0; i < histogram.length; i++) {
        histogram[i] = value++ * (i % 2 == 0 ? 1 : 1_000_003);
      }
    }
    CoderProperties.coderDecodeEncodeEqual(DetectorStatsCoder.of(), full);
    DetectorStats edges = new DetectorStats();
    for (long[] histogram : edges.histograms()) {
      histogram[0] = 7;
      histogram[histogram.length - 1] = Long.MAX_VALUE;
    }
    CoderProperties.coderDecodeEncodeEqual(DetectorStatsCoder.of(), edges);
  }
}
