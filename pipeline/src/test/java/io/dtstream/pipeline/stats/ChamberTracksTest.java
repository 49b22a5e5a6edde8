package io.dtstream.pipeline.stats;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import io.dtstream.contract.model.Hit;
import io.dtstream.contract.results.Binning;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.Test;

/**
 * Golden orbits of chamber 0: tracks worked out by hand on the geometry of DESIGN.md section 1
 * (wire of layer L, wire w at {@code x = 42 w + 21}, {@code + 21} in layers 2 and 4; layer
 * mid-planes at z = 6.5, 19.5, 32.5, 45.5 mm), each hit given as (layer, wire, drift distance).
 */
public class ChamberTracksTest {
  private static final long ORBIT = 7;
  private static final int SCINTILLATOR_TICK = 3000;
  private static final double MM_PER_NS = 0.0538;
  /** Chamber 0's offset: drift time = t_hit - t_scint + 93.9 ns. */
  private static final double OFFSET_NS = 93.9;
  /** The readout's channel of layer 1-4 within a wire's group of four. */
  private static final int[] CODE_OF_LAYER = {0, 2, 1, 3};

  private static Hit cell(int layer, int wire, double distanceMm) {
    int ticks = SCINTILLATOR_TICK + (int) Math.round((distanceMm / MM_PER_NS - OFFSET_NS) * 30 / 25);
    return new Hit(0, 4 * wire + CODE_OF_LAYER[layer - 1], ORBIT, ticks / 30, ticks % 30);
  }

  private static double driftNs(Hit hit) {
    return (hit.bx() * 30 + hit.tdc() - SCINTILLATOR_TICK) * 25.0 / 30 + OFFSET_NS;
  }

  private static DetectorStats close(List<Hit> hits, boolean withScintillator) {
    OrbitBlock block = new OrbitBlock();
    if (withScintillator) {
      block.addHit(new Hit(1, 128, ORBIT, SCINTILLATOR_TICK / 30, 0), 0);
    }
    hits.forEach(h -> block.addHit(h, 0));
    return block.close();
  }

  private static DetectorStats close(Hit... hits) {
    return close(List.of(hits), true);
  }

  /** Chamber 0's bins of a histogram, underflow first and overflow last. */
  private static long[] chamber0(long[] histogram, Binning binning) {
    return Arrays.copyOf(histogram, binning.bins + 2);
  }

  private static long[] expectedMeanTimers(Hit... triplets) {
    long[] expected = new long[Binning.MEAN_TIMER_NS.bins + 2];
    for (int i = 0; i < triplets.length; i += 3) {
      double meanTimer = (driftNs(triplets[i]) + driftNs(triplets[i + 2])) / 2 + driftNs(triplets[i + 1]);
      expected[(int) Math.floor((meanTimer - 250) / 2.5) + 1]++;
    }
    return expected;
  }

  private static long[] one(Binning binning, double value) {
    long[] expected = new long[binning.bins + 2];
    expected[binning.bin(value) + 1] = 1;
    return expected;
  }

  private static long[] layers(long[] perLayer) {
    return Arrays.copyOf(perLayer, 4);
  }

  /** A vertical track at x = 241 mm: layers 1 and 3 in wire 5 (231 mm), layers 2 and 4 in wire 5 (252 mm). */
  @Test
  public void aVerticalTrackWithTheMiddleCellsToTheRight() {
    Hit l1 = cell(1, 5, 10);
    Hit l2 = cell(2, 5, 11);
    Hit l3 = cell(3, 5, 10);
    Hit l4 = cell(4, 5, 11);
    DetectorStats stats = close(l1, l2, l3, l4);
    long[] meanTimers = chamber0(stats.meanTimer, Binning.MEAN_TIMER_NS);
    assertArrayEquals(expectedMeanTimers(l1, l2, l3, l2, l3, l4), meanTimers);
    // both meantimers are 21 mm / 53.8 um/ns = 390.3 ns, within the TDC's rounding
    assertEquals(2, meanTimers[(390 - 250) * 2 / 5 + 1] + meanTimers[(390 - 250) * 2 / 5]);
    long[] angles = chamber0(stats.segmentAngle, Binning.SEGMENT_ANGLE_DEG);
    assertEquals(1, angles[Binning.SEGMENT_ANGLE_DEG.bin(-1.0) + 1] + angles[Binning.SEGMENT_ANGLE_DEG.bin(1.0) + 1]);
    assertArrayEquals(new long[] {1, 1, 1, 1}, layers(stats.layerTested));
    assertArrayEquals(new long[] {1, 1, 1, 1}, layers(stats.layerFound));
    long[] residuals = chamber0(stats.segmentResidual, Binning.RESIDUAL_UM);
    assertEquals(4, residuals[20] + residuals[21]); // within 100 um of the line
    assertEquals(1, chamber0(stats.segmentChi2PerNdf, Binning.CHI2_PER_NDF)[1]);
  }

  /** At x = 221 mm the middle layers' cells are the ones to the left: wire 4 (210 mm). */
  @Test
  public void aVerticalTrackWithTheMiddleCellsToTheLeft() {
    Hit l1 = cell(1, 5, 10);
    Hit l2 = cell(2, 4, 11);
    Hit l3 = cell(3, 5, 10);
    Hit l4 = cell(4, 4, 11);
    DetectorStats stats = close(l1, l2, l3, l4);
    assertArrayEquals(expectedMeanTimers(l1, l2, l3, l2, l3, l4), chamber0(stats.meanTimer, Binning.MEAN_TIMER_NS));
    assertEquals(2, Arrays.stream(stats.meanTimer).sum());
    assertArrayEquals(new long[] {1, 1, 1, 1}, layers(stats.layerFound));
  }

  /**
   * x = 200 + tan(31 deg) z crosses x = 203.9, 211.7, 219.5, 227.3 mm: wires 4 (189), 4 (210),
   * 5 (231), 4 (210). Only the triplet (2,3,4) has its outer hits on one wire.
   */
  @Test
  public void anInclinedTrackHasOneMeantimerAndItsAngle() {
    Hit l1 = cell(1, 4, 14.906);
    Hit l2 = cell(2, 4, 1.717);
    Hit l3 = cell(3, 5, 11.472);
    Hit l4 = cell(4, 4, 17.339);
    DetectorStats stats = close(l1, l2, l3, l4);
    assertArrayEquals(expectedMeanTimers(l2, l3, l4), chamber0(stats.meanTimer, Binning.MEAN_TIMER_NS));
    assertArrayEquals(one(Binning.SEGMENT_ANGLE_DEG, 31), chamber0(stats.segmentAngle, Binning.SEGMENT_ANGLE_DEG));
    assertArrayEquals(new long[] {1, 1, 1, 1}, layers(stats.layerFound));
  }

  /**
   * x = 300 - tan(31 deg) z: 296.1, 288.3, 280.5, 272.7 mm in wires 7 (315), 6 (294), 6 (273), 5
   * (252): a staircase with no two outer hits on one wire, so no meantimer.
   */
  @Test
  public void aTrackInclinedTheOtherWayHasANegativeAngle() {
    DetectorStats stats = close(cell(1, 7, 18.906), cell(2, 6, 5.717), cell(3, 6, 7.472), cell(4, 5, 20.661));
    assertEquals(0, Arrays.stream(stats.meanTimer).sum());
    assertArrayEquals(one(Binning.SEGMENT_ANGLE_DEG, -31), chamber0(stats.segmentAngle, Binning.SEGMENT_ANGLE_DEG));
    assertArrayEquals(new long[] {1, 1, 1, 1}, layers(stats.layerTested));
    assertArrayEquals(new long[] {1, 1, 1, 1}, layers(stats.layerFound));
  }

  @Test
  public void aLayerWithoutItsHitIsTestedAndNotFoundEvenWithANoiseHitElsewhereInIt() {
    DetectorStats stats = close(cell(1, 5, 10), cell(2, 5, 11), cell(3, 12, 4), cell(4, 5, 11));
    // only layer 3 has the three others on a track; its hit at 525 mm is far from the track's 241
    assertArrayEquals(new long[] {0, 0, 1, 0}, layers(stats.layerTested));
    assertArrayEquals(new long[] {0, 0, 0, 0}, layers(stats.layerFound));
    // the triplet's segment is still the orbit's segment, with no residuals (three hits)
    assertEquals(1, Arrays.stream(stats.segmentAngle).sum());
    assertEquals(0, Arrays.stream(stats.segmentResidual).sum());
  }

  /**
   * x = 700 - z leaves the chamber's side before layer 1 (693.5 mm, beyond its last cell's edge
   * at 672): layers 2-4 (wires 15, 15, 15) make a segment, and layer 1 is not tested.
   */
  @Test
  public void aLayerTheTrackMissesBesideTheChamberIsNotTested() {
    DetectorStats stats = close(cell(2, 15, 8.5), cell(3, 15, 16.5), cell(4, 15, 17.5));
    assertArrayEquals(new long[] {0, 0, 0, 0}, layers(stats.layerTested));
    assertArrayEquals(one(Binning.SEGMENT_ANGLE_DEG, -45), chamber0(stats.segmentAngle, Binning.SEGMENT_ANGLE_DEG));
  }

  @Test
  public void aHitInTheNextCellOverIsNotOnTheTrack() {
    // the track crosses layer 2 at 241 mm, in wire 5's cell (252 mm); wire 6's (294 mm) is not it
    DetectorStats stats = close(cell(1, 5, 10), cell(2, 6, 3), cell(3, 5, 10), cell(4, 5, 11));
    assertEquals(1, stats.layerTested[1]);
    assertEquals(0, stats.layerFound[1]);
  }

  @Test
  public void noiseHitsBesideATrackChangeNothingOfIt() {
    Hit[] track = {cell(1, 5, 10), cell(2, 5, 11), cell(3, 5, 10), cell(4, 5, 11)};
    DetectorStats clean = close(track);
    List<Hit> noisy = new ArrayList<>(List.of(track));
    noisy.add(cell(1, 11, 7));
    noisy.add(cell(3, 0, 2));
    DetectorStats stats = close(noisy, true);
    assertArrayEquals(clean.meanTimer, stats.meanTimer);
    assertArrayEquals(clean.segmentAngle, stats.segmentAngle);
    assertArrayEquals(clean.segmentResidual, stats.segmentResidual);
    assertArrayEquals(clean.layerTested, stats.layerTested);
    assertArrayEquals(clean.layerFound, stats.layerFound);
  }

  @Test
  public void aNoiseBurstIsCountedAndSkipped() {
    List<Hit> burst = new ArrayList<>();
    for (int wire = 0; wire < 11; wire++) {
      burst.add(cell(1 + wire % 4, wire, 10));
    }
    DetectorStats stats = close(burst, true);
    assertEquals(1, stats.crowdedOrbits[0]);
    assertEquals(0, Arrays.stream(stats.meanTimer).sum());
    assertEquals(0, Arrays.stream(stats.segmentAngle).sum());
    assertEquals(0, Arrays.stream(stats.layerTested).sum());
    // the drift times are still histogrammed
    assertEquals(11, Arrays.stream(stats.driftTimeFine).sum());
  }

  @Test
  public void withoutAScintillatorHitThereIsNoDriftTimeAndNoPhysics() {
    DetectorStats stats = close(List.of(cell(1, 5, 10), cell(2, 5, 11), cell(3, 5, 10), cell(4, 5, 11)), false);
    assertEquals(0, Arrays.stream(stats.driftTimeFine).sum());
    assertEquals(0, Arrays.stream(stats.meanTimer).sum());
    assertEquals(0, Arrays.stream(stats.layerTested).sum());
  }

  @Test
  public void outOfTimeHitsAreNotOnATrack() {
    // layer 4's hit 700 ns after the others: in the fine histogram's overflow, and in no track
    Hit late = new Hit(0, 4 * 5 + 3, ORBIT, SCINTILLATOR_TICK / 30 + 28, 0);
    DetectorStats stats = close(cell(1, 5, 10), cell(2, 5, 11), cell(3, 5, 10), late);
    assertEquals(1, stats.driftTimeFine[Binning.DRIFT_TIME_FINE_NS.bins + 1]);
    assertArrayEquals(new long[] {0, 0, 0, 1}, layers(stats.layerTested));
    assertArrayEquals(new long[] {0, 0, 0, 0}, layers(stats.layerFound));
    assertEquals(0, Arrays.stream(stats.segmentResidual).sum());
  }
}
