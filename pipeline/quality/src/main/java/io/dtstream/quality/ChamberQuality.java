package io.dtstream.quality;

import io.dtstream.contract.model.Cells;
import io.dtstream.contract.results.ResultMessage;
import io.dtstream.contract.results.ResultMessage.RangeHistogram;
import java.util.ArrayList;
import java.util.List;

/**
 * What a shift crew judges a chamber by, from its histograms in a results message (one window, or
 * a sum of windows): the fitted time box, the meantimer peak, the layer efficiencies and the hit
 * resolution. {@code analyze --summary} writes it as each chamber's {@code quality}; the dashboard
 * computes the same from its accumulated windows.
 *
 * @param resolutionUm the hit resolution from the residuals of four-hit segments: their standard
 *     deviation (less the bins' width^2 / 12), times sqrt(2) since a fit of 2 parameters to 4 hits
 *     leaves each residual sqrt(1/2) of the hit's spread; null below {@link #MIN_RESIDUALS}
 */
public record ChamberQuality(
    TimeBox timeBox, MeanTimer meanTimer, List<LayerEfficiency> layerEfficiency, Double resolutionUm) {

  public static final long MIN_RESIDUALS = 100;

  /** The quality of {@code chamber}'s histograms; null (no window yet) has no entries anywhere. */
  public static ChamberQuality of(ResultMessage.Chamber chamber) {
    if (chamber == null) {
      List<LayerEfficiency> none = new ArrayList<>();
      for (int layer = 1; layer <= Cells.LAYERS; layer++) {
        none.add(LayerEfficiency.of(layer, 0, 0));
      }
      return new ChamberQuality(TimeBox.fit(null), MeanTimer.fit(null), none, null);
    }
    List<LayerEfficiency> layers = new ArrayList<>();
    ResultMessage.LayerEfficiency counts = chamber.layerEfficiency();
    for (int layer = 1; layer <= Cells.LAYERS; layer++) {
      layers.add(
          counts == null
              ? LayerEfficiency.of(layer, 0, 0)
              : LayerEfficiency.of(layer, counts.tested()[layer - 1], counts.found()[layer - 1]));
    }
    return new ChamberQuality(
        TimeBox.fit(chamber.driftTimeFine()),
        MeanTimer.fit(chamber.meanTimer()),
        layers,
        chamber.segments() == null ? null : resolutionUm(chamber.segments().residual()));
  }

  private static Double resolutionUm(RangeHistogram residuals) {
    Histograms.Binned h = Histograms.binned(residuals);
    long n = h.entries();
    if (n < MIN_RESIDUALS) {
      return null;
    }
    double mean = 0;
    for (int i = 0; i < h.counts().length; i++) {
      mean += h.counts()[i] * h.centre(i) / n;
    }
    double variance = 0;
    for (int i = 0; i < h.counts().length; i++) {
      variance += h.counts()[i] * Math.pow(h.centre(i) - mean, 2) / n;
    }
    double width = h.edges()[1] - h.edges()[0];
    return Math.sqrt(2 * Math.max(0, variance - width * width / 12));
  }
}
