package io.dtstream.quality;

import io.dtstream.contract.results.ResultMessage.Chamber;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;

/**
 * Whether a histogram is compatible with the same histogram of a reference run, whatever the two
 * runs' sizes: a chi2 test of two binned samples (ROOT's {@code Chi2Test} "UU", Commons Math's
 * data-set comparison; bins empty in both are left out, ndf = bins used - 1) and a two-sample
 * Kolmogorov-Smirnov test on the bins' cumulative sums (asymptotic p-value; on bins it errs on the
 * safe side, as ROOT's {@code KolmogorovTest} notes). The status is the worse of the two p-values:
 * {@code error} below {@link #ERROR_P}, {@code warning} below {@link #WARNING_P}, else {@code ok};
 * {@code insufficient} (no p-values) while either side has fewer than {@link #MIN_ENTRIES}.
 *
 * @param histogram the results message's name of it
 */
public record Compatibility(
    String histogram, long entries, long referenceEntries, Double chi2, Integer ndf, Double chi2PerNdf,
    Double chi2P, Double ksP, Level status) {

  /** Below this p-value a comparison fails (the {@code reference} alarm). */
  public static final double ERROR_P = 1e-4;
  /** Below this one it warns. */
  public static final double WARNING_P = 0.01;
  /** Fewer entries than this on either side are not compared. */
  public static final long MIN_ENTRIES = 1_000;

  /** A comparison's outcome. */
  public enum Level {
    ok,
    warning,
    error,
    insufficient
  }

  /**
   * The histograms a chamber is compared on: where its channels fire, its time box, its meantimer
   * (each of them moves when a chamber's timing, gas or electronics change).
   */
  public enum Compared {
    occupancy(c -> c.occupancy().counts()),
    driftTimeFine(c -> c.driftTimeFine() == null ? null : c.driftTimeFine().counts()),
    meanTimer(c -> c.meanTimer() == null ? null : c.meanTimer().counts());

    private final Function<Chamber, long[]> counts;

    Compared(Function<Chamber, long[]> counts) {
      this.counts = counts;
    }

    /** Its counts in {@code chamber}; null if the chamber (or an older message) lacks them. */
    public long[] counts(Chamber chamber) {
      return chamber == null ? null : counts.apply(chamber);
    }
  }

  /** Each {@link Compared} histogram of {@code chamber} against the reference's, in that order. */
  public static List<Compatibility> of(Chamber chamber, Chamber reference) {
    List<Compatibility> comparisons = new ArrayList<>();
    for (Compared histogram : Compared.values()) {
      comparisons.add(of(histogram.name(), histogram.counts(chamber), histogram.counts(reference)));
    }
    return comparisons;
  }

  /** {@code observed} against {@code reference} (bins alike; null counts as no entries). */
  public static Compatibility of(String histogram, long[] observed, long[] reference) {
    long entries = observed == null ? 0 : Arrays.stream(observed).sum();
    long referenceEntries = reference == null ? 0 : Arrays.stream(reference).sum();
    if (entries < MIN_ENTRIES || referenceEntries < MIN_ENTRIES) {
      return new Compatibility(histogram, entries, referenceEntries, null, null, null, null, null, Level.insufficient);
    }
    if (observed.length != reference.length) {
      throw new IllegalArgumentException(histogram + ": " + observed.length + " bins against the reference's " + reference.length);
    }
    int used = (int) IntStream.range(0, observed.length).filter(i -> observed[i] + reference[i] > 0).count();
    long[] a = new long[used];
    long[] b = new long[used];
    for (int i = 0, j = 0; i < observed.length; i++) {
      if (observed[i] + reference[i] > 0) {
        a[j] = observed[i];
        b[j++] = reference[i];
      }
    }
    int ndf = used - 1;
    if (ndf < 1) { // all entries in one bin on both sides: the same shape
      return new Compatibility(histogram, entries, referenceEntries, 0.0, 0, null, 1.0, 1.0, Level.ok);
    }
    ChiSquareTest chiSquare = new ChiSquareTest();
    double chi2 = chiSquare.chiSquareDataSetsComparison(a, b);
    double chi2P = chiSquare.chiSquareTestDataSetsComparison(a, b);
    double ksP = new KolmogorovSmirnovTest().approximateP(
        maxDistance(a, entries, b, referenceEntries), clamp(entries), clamp(referenceEntries));
    double worst = Math.min(chi2P, ksP);
    Level level = worst < ERROR_P ? Level.error : worst < WARNING_P ? Level.warning : Level.ok;
    return new Compatibility(histogram, entries, referenceEntries, chi2, ndf, chi2 / ndf, chi2P, ksP, level);
  }

  /** The largest distance between the two cumulative distributions, at the bins' upper edges. */
  private static double maxDistance(long[] a, long totalA, long[] b, long totalB) {
    double distance = 0;
    long sumA = 0;
    long sumB = 0;
    for (int i = 0; i < a.length; i++) {
      sumA += a[i];
      sumB += b[i];
      distance = Math.max(distance, Math.abs((double) sumA / totalA - (double) sumB / totalB));
    }
    return distance;
  }

  private static int clamp(long entries) {
    return (int) Math.min(entries, Integer.MAX_VALUE);
  }
}
