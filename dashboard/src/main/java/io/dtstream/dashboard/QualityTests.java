package io.dtstream.dashboard;

import io.dtstream.quality.LayerEfficiency;
import io.dtstream.quality.Status;
import io.dtstream.quality.TimeBox;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The fit-based quality tests of the alarms, judged on a window's rolling view: {@code t0} (|t0|
 * above the tolerance), {@code tMax} (off the nominal 390 ns by more than the tolerance), {@code
 * efficiency} (a layer below the minimum). A test is judged only with enough statistics: an ok
 * time-box fit, a layer tested at least {@code minTested} times.
 */
record QualityTests(double t0ToleranceNs, double tMaxToleranceNs, double minLayerEfficiency, long minTested) {
  static final double NOMINAL_TMAX_NS = 390;

  List<AlarmJournal.Verdict> verdicts(QualityView rolling) {
    List<AlarmJournal.Verdict> verdicts = new ArrayList<>();
    for (QualityView.ChamberResult chamber : rolling.chambers()) {
      int c = chamber.chamber();
      TimeBox box = chamber.quality().timeBox();
      if (box.status() == Status.ok) {
        verdicts.add(new AlarmJournal.Verdict("t0", c, null, null, Math.abs(box.t0Ns()) > t0ToleranceNs,
            String.format(Locale.ROOT, "chamber %d: t0 %.1f ± %.1f ns, tolerance %.1f ns", c, box.t0Ns(), box.t0ErrorNs(), t0ToleranceNs)));
        verdicts.add(new AlarmJournal.Verdict("tMax", c, null, null, Math.abs(box.tMaxNs() - NOMINAL_TMAX_NS) > tMaxToleranceNs,
            String.format(Locale.ROOT, "chamber %d: Tmax %.1f ± %.1f ns, nominal %.0f ± %.1f ns", c, box.tMaxNs(), box.tMaxErrorNs(),
                NOMINAL_TMAX_NS, tMaxToleranceNs)));
      }
      for (LayerEfficiency layer : chamber.quality().layerEfficiency()) {
        if (layer.tested() >= minTested) {
          verdicts.add(new AlarmJournal.Verdict("efficiency", c, layer.layer(), null, layer.efficiency() < minLayerEfficiency,
              String.format(Locale.ROOT, "chamber %d layer %d: efficiency %.3f ± %.3f, minimum %.2f", c, layer.layer(),
                  layer.efficiency(), layer.error(), minLayerEfficiency)));
        }
      }
    }
    return verdicts;
  }
}
