package io.dtstream.dashboard;

import io.dtstream.contract.model.Chambers;
import io.dtstream.contract.results.ResultMessage;
import io.dtstream.quality.ChamberQuality;
import io.dtstream.quality.Compatibility;
import io.dtstream.quality.Sums;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

/**
 * The quality of each chamber (the shared fitting library's {@link ChamberQuality}, as in {@code
 * analyze --summary}) over some windows: all the dashboard holds (cumulative) or the last few
 * (rolling).
 *
 * @param from the first window's start, null without windows
 * @param to the last window's end
 */
public record QualityView(
    String view, int windows, String from, String to, String reference, List<ChamberResult> chambers,
    List<QualityTrend.Point> trend) {

  /**
   * A chamber's quality, the summed time box it was fitted on, the fitted curve at each bin's
   * centre (null without a fit), for the page to draw, and the comparison with the reference run
   * (null without one).
   */
  public record ChamberResult(
      int chamber, ChamberQuality quality, ResultMessage.RangeHistogram driftTimeFine, double[] fitted,
      ReferenceComparison reference) {}

  /**
   * The chamber against the reference run: the reference's own quality, the compatibility of each
   * compared histogram, and the reference's time box scaled to this view's entries and its
   * occupancy as shares of its hits (the page scales those to what it shows), for the overlays.
   */
  public record ReferenceComparison(
      ChamberQuality quality, List<Compatibility> comparisons, double[] driftTimeFine, double[] occupancyShare) {

    static ReferenceComparison of(ResultMessage.Chamber view, ResultMessage.Chamber reference, ChamberQuality quality) {
      long[] box = Compatibility.Compared.driftTimeFine.counts(reference);
      long[] viewBox = Compatibility.Compared.driftTimeFine.counts(view);
      long[] occupancy = Compatibility.Compared.occupancy.counts(reference);
      return new ReferenceComparison(quality, Compatibility.of(view, reference),
          scaled(box, viewBox == null ? 0 : LongStream.of(viewBox).sum()), scaled(occupancy, 1));
    }

    /** {@code counts} scaled to sum to {@code total}; null without counts. */
    private static double[] scaled(long[] counts, double total) {
      long sum = counts == null ? 0 : LongStream.of(counts).sum();
      return sum == 0 ? null : LongStream.of(counts).mapToDouble(n -> n * total / sum).toArray();
    }
  }

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
    return of(kind, windows, List.of(), null);
  }

  /** The view of {@code windows}, compared with {@code reference} (may be null). */
  static QualityView of(Kind kind, List<WindowResults> windows, List<QualityTrend.Point> trend, Reference reference) {
    List<ResultMessage.Chamber> sums = Sums.chambers(windows.stream().map(WindowResults::histograms).toList());
    return new QualityView(
        kind.name(),
        windows.size(),
        windows.isEmpty() ? null : windows.get(0).start(),
        windows.isEmpty() ? null : windows.get(windows.size() - 1).end(),
        reference == null ? null : reference.source(),
        IntStream.range(0, Chambers.COUNT)
            .mapToObj(c -> {
              ResultMessage.Chamber sum = c < sums.size() ? sums.get(c) : null;
              ChamberQuality quality = ChamberQuality.of(sum);
              ResultMessage.RangeHistogram box = sum == null ? null : sum.driftTimeFine();
              return new ChamberResult(c, quality, box, fitted(quality, box), reference == null ? null
                  : ReferenceComparison.of(sum, reference.chamber(c), reference.quality(c)));
            })
            .toList(),
        trend);
  }
}
