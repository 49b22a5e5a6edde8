package io.dtstream.contract.results;

import io.dtstream.contract.model.Chambers;
import java.util.stream.IntStream;

/**
 * The bins of every histogram of the results message, defined once: the pipeline fills them, the
 * message carries their edges, the JSON Schema's array sizes are checked against them (see
 * {@code ResultsSchemaTest}), and readers take sizes and edges from here or from the message.
 * Bins are half-open {@code [edge_k, edge_k+1)}; edges are integers in the histogram's unit.
 */
public enum Binning {
  /** Hits per local channel {@code TDC_CHANNEL % 64}: bin k is channel k. */
  CHANNEL(0, 1, Chambers.CHANNELS_PER_CHAMBER),
  /** Orbits by distinct channels hit in a chamber: bin k is k+1 channels. */
  ACTIVE_CHANNELS(1, 1, Chambers.CHANNELS_PER_CHAMBER),
  /** Drift time {@code t_hit - t_scint + offset}, ns: 80 bins of 10 ns from -200 ns. */
  DRIFT_TIME_NS(-200, 10, 80);

  /** The lower edge of the first bin, the width of a bin and their number. */
  public final int first;

  public final int width;
  public final int bins;

  Binning(int first, int width, int bins) {
    this.first = first;
    this.width = width;
    this.bins = bins;
  }

  /** The upper edge of the last bin. */
  public int last() {
    return first + width * bins;
  }

  /** The {@code bins + 1} edges, as the message carries them. */
  public int[] edges() {
    return IntStream.rangeClosed(0, bins).map(i -> first + i * width).toArray();
  }
}
