package io.dtstream.quality;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.dtstream.contract.results.Binning;
import io.dtstream.contract.results.ResultMessage;
import io.dtstream.contract.results.ResultMessage.Histogram;
import io.dtstream.contract.results.ResultMessage.RangeHistogram;
import java.util.List;
import java.util.Random;
import org.junit.Test;

public class ChamberQualityTest {
  private static RangeHistogram empty(Binning binning) {
    return RangeHistogram.of(binning, new long[binning.bins], 0, 0);
  }

  /** Values drawn from a Gaussian into {@code binning}. */
  private static RangeHistogram gaussian(Binning binning, long seed, int entries, double mean, double sigma) {
    Random random = new Random(seed);
    long[] counts = new long[binning.bins];
    long under = 0;
    long over = 0;
    for (int i = 0; i < entries; i++) {
      int bin = binning.bin(mean + sigma * random.nextGaussian());
      if (bin < 0) {
        under++;
      } else if (bin >= binning.bins) {
        over++;
      } else {
        counts[bin]++;
      }
    }
    return RangeHistogram.of(binning, counts, under, over);
  }

  private static ResultMessage.Chamber chamber(RangeHistogram fine, RangeHistogram meanTimer,
      ResultMessage.LayerEfficiency efficiency, RangeHistogram residuals) {
    Histogram channels = Histogram.of(Binning.CHANNEL, new long[64]);
    return new ResultMessage.Chamber(0, 0, channels, Histogram.of(Binning.ACTIVE_CHANNELS, new long[64]), channels,
        empty(Binning.DRIFT_TIME_NS), fine, meanTimer, efficiency,
        new ResultMessage.Segments(empty(Binning.SEGMENT_ANGLE_DEG), residuals, empty(Binning.CHI2_PER_NDF)), 0L);
  }

  @Test
  public void theMeantimerPeakAndTheResolutionComeBack() {
    ChamberQuality q = ChamberQuality.of(chamber(
        TimeBoxTest.box(4, 30_000, 0, 390, 3, 0),
        gaussian(Binning.MEAN_TIMER_NS, 5, 5_000, 392.5, 4),
        new ResultMessage.LayerEfficiency(new long[] {100, 0, 50, 1}, new long[] {95, 0, 25, 1}),
        gaussian(Binning.RESIDUAL_UM, 6, 20_000, 0, 150 / Math.sqrt(2))));
    assertEquals(Status.ok, q.meanTimer().status());
    assertEquals(392.5, q.meanTimer().peakNs(), 0.3);
    assertEquals(4, q.meanTimer().sigmaNs(), 0.3);
    assertEquals(150, q.resolutionUm(), 8);
    List<LayerEfficiency> layers = q.layerEfficiency();
    assertEquals(0.95, layers.get(0).efficiency(), 1e-12);
    assertEquals(Math.sqrt(0.95 * 0.05 / 100), layers.get(0).error(), 1e-12);
    assertNull(layers.get(1).efficiency());
    assertNull(layers.get(1).error());
    assertEquals(0.5, layers.get(2).efficiency(), 1e-12);
    assertEquals(0.0, layers.get(3).error(), 1e-12);
    assertEquals(4, layers.get(3).layer());
  }

  @Test
  public void emptyAndOlderMessagesGiveInsufficientNotExceptions() {
    ChamberQuality empty = ChamberQuality.of(chamber(empty(Binning.DRIFT_TIME_FINE_NS), empty(Binning.MEAN_TIMER_NS),
        new ResultMessage.LayerEfficiency(new long[4], new long[4]), empty(Binning.RESIDUAL_UM)));
    assertEquals(Status.insufficient, empty.timeBox().status());
    assertEquals(Status.insufficient, empty.meanTimer().status());
    assertNull(empty.resolutionUm());
    Histogram channels = Histogram.of(Binning.CHANNEL, new long[64]);
    ChamberQuality older = ChamberQuality.of(new ResultMessage.Chamber(0, 0, channels,
        Histogram.of(Binning.ACTIVE_CHANNELS, new long[64]), channels, empty(Binning.DRIFT_TIME_NS),
        null, null, null, null, null));
    assertEquals(Status.insufficient, older.timeBox().status());
    assertEquals(Status.insufficient, older.meanTimer().status());
    assertNull(older.layerEfficiency().get(0).efficiency());
    assertNull(older.resolutionUm());
  }

  @Test
  public void aMeantimerCutByTheHistogramsEdgeGivesAnAnswerNotAnException() {
    long[] flat = new long[Binning.MEAN_TIMER_NS.bins];
    java.util.Arrays.fill(flat, 0, 3, 1_000);
    MeanTimer fit = MeanTimer.fit(RangeHistogram.of(Binning.MEAN_TIMER_NS, flat, 0, 0));
    // a peak cut by the histogram's edge: whatever the fitter makes of it, an answer, not an exception
    assertEquals(3_000, fit.entries());
    assertEquals(fit.status() == Status.ok, fit.peakNs() != null);
  }
}
