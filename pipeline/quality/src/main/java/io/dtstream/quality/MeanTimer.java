package io.dtstream.quality;

import io.dtstream.contract.results.ResultMessage.RangeHistogram;
import java.util.stream.IntStream;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.fitting.GaussianCurveFitter;
import org.apache.commons.math3.fitting.WeightedObservedPoints;

/**
 * The meantimer peak: a Gaussian fitted to the bins within {@link #WINDOW_NS} of the highest
 * (smoothed) bin. For a straight track the meantimer is Tmax, so the peak checks the time box's
 * Tmax without the scintillator's t0.
 */
public record MeanTimer(long entries, Double peakNs, Double sigmaNs, Status status) {
  public static final long MIN_ENTRIES = 200;
  private static final double WINDOW_NS = 25;

  public static MeanTimer fit(RangeHistogram histogram) {
    if (histogram == null) {
      return new MeanTimer(0, null, null, Status.insufficient);
    }
    Histograms.Binned h = Histograms.binned(histogram);
    if (h.entries() < MIN_ENTRIES) {
      return new MeanTimer(h.entries(), null, null, Status.insufficient);
    }
    double[] smooth = h.smoothed(2);
    int top = IntStream.range(0, smooth.length).reduce((a, b) -> smooth[b] > smooth[a] ? b : a).orElseThrow();
    WeightedObservedPoints points = new WeightedObservedPoints();
    for (int i : h.indices(h.centre(top) - WINDOW_NS, h.centre(top) + WINDOW_NS)) {
      points.add(h.centre(i), h.counts()[i]);
    }
    try {
      double[] fit = GaussianCurveFitter.create().withMaxIterations(1_000).fit(points.toList());
      double peak = fit[1];
      double sigma = Math.abs(fit[2]);
      if (!Double.isFinite(peak) || !Double.isFinite(sigma) || sigma == 0
          || peak < h.edges()[0] || peak > h.edges()[h.edges().length - 1]) {
        return new MeanTimer(h.entries(), null, null, Status.failed);
      }
      return new MeanTimer(h.entries(), peak, sigma, Status.ok);
    } catch (MathIllegalStateException | IllegalArgumentException e) {
      return new MeanTimer(h.entries(), null, null, Status.failed);
    }
  }
}
