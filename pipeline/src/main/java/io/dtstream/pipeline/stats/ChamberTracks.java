package io.dtstream.pipeline.stats;

import static io.dtstream.contract.model.Cells.HALF_CELL_MM;
import static io.dtstream.contract.model.Cells.LAYERS;

import io.dtstream.contract.model.Cells;
import io.dtstream.contract.results.Binning;
import java.util.Arrays;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * The DQM physics of one chamber in one orbit with a scintillator hit (README, "DQM physics"):
 * meantimers, the layer-efficiency test and the local segment, from the chamber's in-time hits
 * (drift time in {@code driftTimeFine}'s range, -100 to 500 ns). Reused orbit after orbit: {@link
 * #add} the hits, then {@link #close} into the window's stats.
 *
 * <p>A chamber with more than {@link #MAX_IN_TIME_HITS} in-time hits in an orbit (a noise burst)
 * is counted in {@code crowdedOrbits} and skipped, which bounds the search: at most 36 four-hit
 * and 4 x 36 three-hit combinations, each fitted for 16 or 8 left/right choices, under 1,800 line
 * fits of at most 4 points; and per layer at most 36 cell corridors for the efficiency test.
 */
final class ChamberTracks {
  static final int MAX_IN_TIME_HITS = 10;
  /** The hit resolution the chi2 assumes. */
  static final double HIT_RESOLUTION_MM = 0.2;
  /** A segment is kept up to the chi2 histogram's end and the angle histogram's ends. */
  static final double MAX_CHI2_PER_NDF = Binning.CHI2_PER_NDF.last();

  static final double MAX_SLOPE = Math.tan(Math.toRadians(Binning.SEGMENT_ANGLE_DEG.last()));

  private static final Binning FINE = Binning.DRIFT_TIME_FINE_NS;
  private static final Binning MEAN_TIMER = Binning.MEAN_TIMER_NS;

  /** Per layer 1-4 (index 0 unused): its in-time hits' wires and drift times (1/30 ns). */
  private final int[][] wires = new int[LAYERS + 1][MAX_IN_TIME_HITS];

  private final long[][] drifts = new long[LAYERS + 1][MAX_IN_TIME_HITS];
  private final int[] counts = new int[LAYERS + 1];
  private int inTime;

  private final SimpleRegression regression = new SimpleRegression();
  /** The hits of the combination being searched: layer and index per step. */
  private final int[] chosenLayer = new int[LAYERS];

  private final int[] chosenHit = new int[LAYERS];
  private final Segment candidate = new Segment();
  private final Segment bestOfFour = new Segment();
  private final Segment bestOfThree = new Segment();
  /** The efficiency test's three other layers and their cells. */
  private final int[] others = new int[LAYERS - 1];

  private final double[] cellZ = new double[LAYERS - 1];
  private final double[] cellLow = new double[LAYERS - 1];
  private final double[] cellHigh = new double[LAYERS - 1];
  private final double[] reach = new double[2];

  /** A fitted line {@code x = a + b z} through some hits, at the positions that fitted best. */
  private static final class Segment {
    int size;
    final double[] x = new double[LAYERS];
    final double[] z = new double[LAYERS];
    double intercept;
    double slope;
    double chi2 = Double.POSITIVE_INFINITY;

    double chi2PerNdf() {
      return chi2 / (size - 2);
    }

    boolean found() {
      return chi2 != Double.POSITIVE_INFINITY;
    }

    double xAt(double at) {
      return intercept + slope * at;
    }

    void copy(Segment other) {
      size = other.size;
      System.arraycopy(other.x, 0, x, 0, LAYERS);
      System.arraycopy(other.z, 0, z, 0, LAYERS);
      intercept = other.intercept;
      slope = other.slope;
      chi2 = other.chi2;
    }
  }

  /** A hit of this chamber in the orbit: its local channel and drift time in 1/30 ns. */
  void add(int localChannel, long drift30) {
    int bin = FINE.bin(drift30, 30);
    if (bin < 0 || bin >= FINE.bins) {
      return;
    }
    if (inTime++ < MAX_IN_TIME_HITS) {
      int layer = Cells.layer(localChannel);
      wires[layer][counts[layer]] = Cells.wire(localChannel);
      drifts[layer][counts[layer]++] = drift30;
    }
  }

  /** Adds this orbit's meantimers, efficiency tests and segment to {@code stats}; then forgets the hits. */
  void close(DetectorStats stats, int chamber) {
    if (inTime > MAX_IN_TIME_HITS) {
      stats.crowdedOrbits[chamber]++;
    } else if (inTime >= 3) {
      meanTimers(stats, chamber, 1, 2, 3);
      meanTimers(stats, chamber, 2, 3, 4);
      searchSegments();
      testLayers(stats, chamber);
      fillSegment(stats, chamber);
    }
    Arrays.fill(counts, 0);
    inTime = 0;
  }

  /** Triplets with the outer layers' hits on one wire and the middle one half a cell aside. */
  private void meanTimers(DetectorStats stats, int chamber, int a, int b, int c) {
    for (int i = 0; i < counts[a]; i++) {
      double xa = Cells.wireX(a, wires[a][i]);
      for (int k = 0; k < counts[c]; k++) {
        if (Cells.wireX(c, wires[c][k]) != xa) {
          continue;
        }
        for (int j = 0; j < counts[b]; j++) {
          if (Math.abs(Cells.wireX(b, wires[b][j]) - xa) == HALF_CELL_MM) {
            // (t_a + t_c)/2 + t_b in 1/60 ns
            long meanTimer60 = drifts[a][i] + drifts[c][k] + 2 * drifts[b][j];
            int bin = MEAN_TIMER.bin(meanTimer60, 60);
            stats.meanTimer[DetectorStats.rangeIndex(MEAN_TIMER, chamber, bin)]++;
          }
        }
      }
    }
  }

  /**
   * The best four-hit segment and, only if there is none, the best three-hit one: the orbit's
   * segment is a three-hit one only then ({@link #fillSegment}), and the three-hit choices need
   * twice the fits of the four-hit ones (4 x 8 left/right choices against 16), so a chamber
   * crossed in all four layers, the usual case, skips two thirds of its fits.
   */
  private void searchSegments() {
    bestOfFour.chi2 = Double.POSITIVE_INFINITY;
    bestOfThree.chi2 = Double.POSITIVE_INFINITY;
    search(1, 0, 0);
    if (!bestOfFour.found()) {
      search(1, 0, 1);
    }
  }

  /** Chooses a hit of each layer but {@code skips} of them (any); fits every such choice. */
  private void search(int layer, int chosen, int skips) {
    if (layer > LAYERS) {
      if (skips == 0 && fitBest(chosen)) {
        Segment best = chosen == LAYERS ? bestOfFour : bestOfThree;
        if (candidate.chi2 < best.chi2) {
          best.copy(candidate);
        }
      }
      return;
    }
    for (int i = 0; i < counts[layer]; i++) {
      if (compatible(layer, i, chosen)) {
        chosenLayer[chosen] = layer;
        chosenHit[chosen] = i;
        search(layer + 1, chosen + 1, skips);
      }
    }
    if (skips > 0) {
      search(layer + 1, chosen, skips - 1);
    }
  }

  /** Whether a line within the angle limit could pass through this cell and the chosen ones. */
  private boolean compatible(int layer, int hit, int chosen) {
    double x = Cells.wireX(layer, wires[layer][hit]);
    for (int k = 0; k < chosen; k++) {
      double dz = Cells.layerZ(layer) - Cells.layerZ(chosenLayer[k]);
      double dx = x - Cells.wireX(chosenLayer[k], wires[chosenLayer[k]][chosenHit[k]]);
      if (Math.abs(dx) > 2 * HALF_CELL_MM + MAX_SLOPE * Math.abs(dz)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Fits the chosen hits for every left/right choice into {@link #candidate}, keeping the one of
   * smallest chi2 among those within the angle limit (three hits fit several choices almost
   * exactly, steep ones too); whether that is a segment (within the chi2 limit).
   */
  private boolean fitBest(int size) {
    candidate.size = size;
    candidate.chi2 = Double.POSITIVE_INFINITY;
    for (int sides = 0; sides < 1 << size; sides++) {
      regression.clear();
      for (int k = 0; k < size; k++) {
        regression.addData(Cells.layerZ(chosenLayer[k]), position(k, sides));
      }
      double chi2 = regression.getSumSquaredErrors() / (HIT_RESOLUTION_MM * HIT_RESOLUTION_MM);
      if (chi2 < candidate.chi2 && Math.abs(regression.getSlope()) <= MAX_SLOPE) {
        candidate.chi2 = chi2;
        candidate.intercept = regression.getIntercept();
        candidate.slope = regression.getSlope();
        for (int k = 0; k < size; k++) {
          candidate.z[k] = Cells.layerZ(chosenLayer[k]);
          candidate.x[k] = position(k, sides);
        }
      }
    }
    return candidate.chi2PerNdf() <= MAX_CHI2_PER_NDF;
  }

  /** Chosen hit k's position: its wire, plus or minus its drift distance (bit k of sides). */
  private double position(int k, int sides) {
    int layer = chosenLayer[k];
    int hit = chosenHit[k];
    double distance = Math.min(HALF_CELL_MM, Math.max(0.0, Cells.DRIFT_VELOCITY_MM_PER_NS * drifts[layer][hit] / 30.0));
    return Cells.wireX(layer, wires[layer][hit]) + ((sides >> k & 1) == 0 ? -distance : distance);
  }

  /**
   * A layer is tested when the cells hit in the three others let a straight line (within the angle
   * limit) through, and all such lines cross the layer inside its cells; it is found when it has
   * a hit in a cell those lines cross (README, "DQM physics": the rule uses cells, not drift
   * times, so a wrong t0 or drift velocity does not bias it).
   */
  private void testLayers(DetectorStats stats, int chamber) {
    for (int layer = 1; layer <= LAYERS; layer++) {
      int n = 0;
      for (int other = 1; other <= LAYERS; other++) {
        if (other != layer) {
          others[n++] = other;
        }
      }
      boolean tested = false;
      boolean found = false;
      for (int i = 0; i < counts[others[0]]; i++) {
        for (int j = 0; j < counts[others[1]]; j++) {
          for (int k = 0; k < counts[others[2]]; k++) {
            cell(0, others[0], i);
            cell(1, others[1], j);
            cell(2, others[2], k);
            if (Corridor.reach(cellZ, cellLow, cellHigh, MAX_SLOPE, Cells.layerZ(layer), reach)
                && reach[0] >= Cells.wireX(layer, 0) - HALF_CELL_MM
                && reach[1] <= Cells.wireX(layer, Cells.WIRES - 1) + HALF_CELL_MM) {
              tested = true;
              found |= hasHitWithin(layer, reach[0], reach[1]);
            }
          }
        }
      }
      int index = chamber * LAYERS + layer - 1;
      stats.layerTested[index] += tested ? 1 : 0;
      stats.layerFound[index] += found ? 1 : 0;
    }
  }

  private void cell(int slot, int layer, int hit) {
    double wire = Cells.wireX(layer, wires[layer][hit]);
    cellZ[slot] = Cells.layerZ(layer);
    cellLow[slot] = wire - HALF_CELL_MM;
    cellHigh[slot] = wire + HALF_CELL_MM;
  }

  /** Whether a hit's cell in {@code layer} overlaps {@code [from, to]}. */
  private boolean hasHitWithin(int layer, double from, double to) {
    for (int i = 0; i < counts[layer]; i++) {
      double wire = Cells.wireX(layer, wires[layer][i]);
      if (wire + HALF_CELL_MM >= from && wire - HALF_CELL_MM <= to) {
        return true;
      }
    }
    return false;
  }

  /** The orbit's segment: the best of four hits, else the best of three; residuals of four-hit ones only. */
  private void fillSegment(DetectorStats stats, int chamber) {
    Segment segment = bestOfFour.found() ? bestOfFour : bestOfThree;
    if (!segment.found()) {
      return;
    }
    fill(stats.segmentAngle, Binning.SEGMENT_ANGLE_DEG, chamber, Math.toDegrees(Math.atan(segment.slope)));
    fill(stats.segmentChi2PerNdf, Binning.CHI2_PER_NDF, chamber, segment.chi2PerNdf());
    if (segment.size == LAYERS) {
      for (int k = 0; k < segment.size; k++) {
        double residualUm = 1000 * (segment.x[k] - segment.xAt(segment.z[k]));
        fill(stats.segmentResidual, Binning.RESIDUAL_UM, chamber, residualUm);
      }
    }
  }

  private static void fill(long[] histogram, Binning binning, int chamber, double value) {
    histogram[DetectorStats.rangeIndex(binning, chamber, binning.bin(value))]++;
  }
}
