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
public record QualityView(String view, int windows, String from, String to, List<ChamberResult> chambers) {

  public record ChamberResult(int chamber, ChamberQuality quality) {}

  /** The views a client can ask for. */
  public enum Kind {
    cumulative,
    rolling
  }

  static QualityView of(Kind kind, List<WindowResults> windows) {
    List<ResultMessage.Chamber> sums = Sums.chambers(windows.stream().map(WindowResults::histograms).toList());
    return new QualityView(
        kind.name(),
        windows.size(),
        windows.isEmpty() ? null : windows.get(0).start(),
        windows.isEmpty() ? null : windows.get(windows.size() - 1).end(),
        IntStream.range(0, Chambers.COUNT)
            .mapToObj(c -> new ChamberResult(c, ChamberQuality.of(c < sums.size() ? sums.get(c) : null)))
            .toList());
  }
}
