package io.dtstream.dashboard;

import io.dtstream.quality.Compatibility;
import io.dtstream.quality.LayerEfficiency;
import io.dtstream.quality.Status;
import io.dtstream.quality.TimeBox;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The fit-based quality tests of the alarms, judged on a window's rolling view: {@code t0} (t0
 * off the reference run's, or off 0 without one, by more than the tolerance), {@code tMax} (Tmax
 * off the reference's, or the nominal 390 ns, by more than the tolerance), {@code efficiency} (a
 * layer below the minimum), {@code reference} (a histogram incompatible with the reference run's,
 * {@link Compatibility#ERROR_P}). A test is judged only with enough statistics: an ok time-box
 * fit, a layer tested at least {@code minTested} times, a comparison with entries enough on both
 * sides. A chamber whose reference has no ok time-box fit is judged against the nominal values.
 */
record QualityTests(double t0ToleranceNs, double tMaxToleranceNs, double minLayerEfficiency, long minTested) {
  static final double NOMINAL_TMAX_NS = 390;

  List<AlarmJournal.Verdict> verdicts(QualityView rolling) {
    List<AlarmJournal.Verdict> verdicts = new ArrayList<>();
    for (QualityView.ChamberResult chamber : rolling.chambers()) {
      int c = chamber.chamber();
      TimeBox box = chamber.quality().timeBox();
      TimeBox reference = chamber.reference() == null ? null : chamber.reference().quality().timeBox();
      boolean referenced = reference != null && reference.status() == Status.ok;
      if (box.status() == Status.ok) {
        double t0 = referenced ? reference.t0Ns() : 0;
        double tMax = referenced ? reference.tMaxNs() : NOMINAL_TMAX_NS;
        String against = referenced ? "reference" : "nominal";
        verdicts.add(new AlarmJournal.Verdict("t0", c, null, null, Math.abs(box.t0Ns() - t0) > t0ToleranceNs,
            String.format(Locale.ROOT, "chamber %d: t0 %.1f ± %.1f ns, %s %.1f ns, tolerance %.1f ns", c, box.t0Ns(),
                box.t0ErrorNs(), against, t0, t0ToleranceNs)));
        verdicts.add(new AlarmJournal.Verdict("tMax", c, null, null, Math.abs(box.tMaxNs() - tMax) > tMaxToleranceNs,
            String.format(Locale.ROOT, "chamber %d: Tmax %.1f ± %.1f ns, %s %.1f ns, tolerance %.1f ns", c, box.tMaxNs(),
                box.tMaxErrorNs(), against, tMax, tMaxToleranceNs)));
      }
      for (LayerEfficiency layer : chamber.quality().layerEfficiency()) {
        if (layer.tested() >= minTested) {
          verdicts.add(new AlarmJournal.Verdict("efficiency", c, layer.layer(), null, layer.efficiency() < minLayerEfficiency,
              String.format(Locale.ROOT, "chamber %d layer %d: efficiency %.3f ± %.3f, minimum %.2f", c, layer.layer(),
                  layer.efficiency(), layer.error(), minLayerEfficiency)));
        }
      }
      if (chamber.reference() != null) {
        reference(c, chamber.reference().comparisons(), verdicts);
      }
    }
    return verdicts;
  }

  /** One verdict per chamber: judged if any histogram could be compared, failing if any is an error. */
  private static void reference(int c, List<Compatibility> comparisons, List<AlarmJournal.Verdict> verdicts) {
    List<Compatibility> judged = comparisons.stream().filter(x -> x.status() != Compatibility.Level.insufficient).toList();
    if (judged.isEmpty()) {
      return;
    }
    List<Compatibility> failed = judged.stream().filter(x -> x.status() == Compatibility.Level.error).toList();
    String message = failed.isEmpty()
        ? "chamber " + c + ": compatible with the reference"
        : "chamber " + c + " against the reference: " + failed.stream()
            .map(x -> String.format(Locale.ROOT, "%s chi2/ndf %.2f (p %.1e), KS p %.1e", x.histogram(), x.chi2PerNdf(), x.chi2P(), x.ksP()))
            .collect(Collectors.joining("; "));
    verdicts.add(new AlarmJournal.Verdict("reference", c, null, null, !failed.isEmpty(), message));
  }
}
