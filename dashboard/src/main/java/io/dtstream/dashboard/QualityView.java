package io.dtstream.dashboard;

import io.dtstream.contract.model.Chambers;
import io.dtstream.contract.results.ResultMessage;
import io.dtstream.quality.ChamberQuality;
import io.dtstream.quality.Sums;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The quality of each chamber (the shared fitting library's {@link ChamberQuality}, as in {@code
 * analyze --summary}) over some windows: all the dashboard holds (cumulative) or the last few
 * (rolling).
 *
 * @param from the first window's start, null without windows
 * @param to the last window's end
 */
public record QualityView(
    String view, int windows, String from, String to, List<ChamberResult> chambers, List<QualityTrend.Point> trend) {

  /**
   * A chamber's quality, the summed time box it was fitted on and the fitted curve at each bin's
   * centre (null without a fit), for the page to draw.
   */
  public record ChamberResult(
      int chamber, ChamberQuality quality, ResultMessage.RangeHistogram driftTimeFine, double[] fitted) {}

  /** The views a client can ask for. */
  public enum Kind {
    cumulative,
    rolling
  }

  private static double[] fitted(ChamberQuality quality, ResultMessage.RangeHistogram box) {
    if (box == null || quality.timeBox().edges() == null) {
      return null;
    }
    double[] edges = box.binEdges();
    return IntStream.range(0, edges.length - 1)
        .mapToDouble(i -> quality.timeBox().edges().at((edges[i] + edges[i + 1]) / 2))
        .toArray();
  }

  static QualityView of(Kind kind, List<WindowResults> windows) {
    return of(kind, windows, List.of());
  }

  static QualityView of(Kind kind, List<WindowResults> windows, List<QualityTrend.Point> trend) {
    List<ResultMessage.Chamber> sums = Sums.chambers(windows.stream().map(WindowResults::histograms).toList());
    return new QualityView(
        kind.name(),
        windows.size(),
        windows.isEmpty() ? null : windows.get(0).start(),
        windows.isEmpty() ? null : windows.get(windows.size() - 1).end(),
        IntStream.range(0, Chambers.COUNT)
            .mapToObj(c -> {
              ResultMessage.Chamber sum = c < sums.size() ? sums.get(c) : null;
              ChamberQuality quality = ChamberQuality.of(sum);
              ResultMessage.RangeHistogram box = sum == null ? null : sum.driftTimeFine();
              return new ChamberResult(c, quality, box, fitted(quality, box));
            })
            .toList(),
        trend);
  }
}
