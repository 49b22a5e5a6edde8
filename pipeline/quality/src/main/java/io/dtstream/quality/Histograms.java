package io.dtstream.quality;

import io.dtstream.contract.results.ResultMessage.RangeHistogram;
import java.util.Arrays;
import java.util.stream.IntStream;

/** A histogram of the results message as the fits read it: bin centres and counts. */
final class Histograms {
  private Histograms() {}

  record Binned(double[] edges, double[] counts) {
    long entries() {
      return (long) Arrays.stream(counts).sum();
    }

    double centre(int bin) {
      return (edges[bin] + edges[bin + 1]) / 2;
    }

    /** Each bin averaged with {@code radius} bins on either side (fewer at the ends). */
    double[] smoothed(int radius) {
      double[] out = new double[counts.length];
      for (int i = 0; i < counts.length; i++) {
        out[i] = mean(Math.max(0, i - radius), Math.min(counts.length, i + radius + 1));
      }
      return out;
    }

    /** The mean count of bins {@code [from, to)}. */
    double mean(int from, int to) {
      return Arrays.stream(counts, from, to).average().orElse(0);
    }

    /** The mean count of the bins whose centres lie in {@code [from, to]}. */
    double meanBetween(double from, double to) {
      return Arrays.stream(indices(from, to)).mapToDouble(i -> counts[i]).average().orElse(0);
    }

    int[] indices(double from, double to) {
      return IntStream.range(0, counts.length).filter(i -> centre(i) >= from && centre(i) <= to).toArray();
    }

    /** Fits an edge to the bins whose centres lie in {@code [from, to]}; null if it fails. */
    EdgeFit.Edge fitEdge(double from, double to, boolean rising, double[] start) {
      int[] bins = indices(from, to);
      if (bins.length < start.length + 2) {
        return null;
      }
      double[] low = Arrays.stream(bins).mapToDouble(i -> edges[i]).toArray();
      double[] high = Arrays.stream(bins).mapToDouble(i -> edges[i + 1]).toArray();
      double[] y = Arrays.stream(bins).mapToDouble(i -> counts[i]).toArray();
      double[] smooth = smoothed(1);
      double[] variances = Arrays.stream(bins).mapToDouble(i -> smooth[i]).toArray();
      return EdgeFit.fit(low, high, y, variances, rising, start);
    }
  }

  static Binned binned(RangeHistogram histogram) {
    return new Binned(histogram.binEdges(), Arrays.stream(histogram.counts()).asDoubleStream().toArray());
  }

  static double max(double[] values) {
    return Arrays.stream(values).max().orElse(0);
  }
}
