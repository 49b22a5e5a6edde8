package io.dtstream.pipeline.transforms;

import io.dtstream.pipeline.TimeDomain;
import io.dtstream.contract.model.Cells;
import io.dtstream.contract.model.Chambers;
import io.dtstream.contract.results.Binning;
import io.dtstream.contract.results.ResultMessage;
import io.dtstream.contract.results.ResultMessage.Chamber;
import io.dtstream.contract.results.ResultMessage.Counts;
import io.dtstream.contract.results.ResultMessage.Histogram;
import io.dtstream.contract.results.ResultMessage.LayerEfficiency;
import io.dtstream.contract.results.ResultMessage.RangeHistogram;
import io.dtstream.contract.results.ResultMessage.Segments;
import io.dtstream.contract.results.ResultMessage.Window;
import io.dtstream.pipeline.stats.DetectorStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;

/**
 * Turns each window's {@link DetectorStats} into its JSON results message, keyed by the window
 * start (ISO-8601) so a reader can replace a window emitted twice. A fixed window without rows
 * has no message; the global window of a summary always has one, spanning the first to the last
 * row's time.
 */
public class FormatResults
    extends PTransform<PCollection<DetectorStats>, PCollection<KV<String, String>>> {
  private final TimeDomain timeDomain;

  public FormatResults(TimeDomain timeDomain) {
    this.timeDomain = timeDomain;
  }

  @Override
  public PCollection<KV<String, String>> expand(PCollection<DetectorStats> stats) {
    return stats.apply("ToJson", ParDo.of(new ToJsonFn(timeDomain)));
  }

  static class ToJsonFn extends DoFn<DetectorStats, KV<String, String>> {
    private final TimeDomain timeDomain;

    ToJsonFn(TimeDomain timeDomain) {
      this.timeDomain = timeDomain;
    }

    @ProcessElement
    public void processElement(
        @Element DetectorStats stats,
        BoundedWindow window,
        OutputReceiver<KV<String, String>> out) {
      long start;
      long end;
      if (window instanceof IntervalWindow && stats.rows == 0) {
        return; // an expiring window's empty pane would replace its real message
      }
      if (window instanceof IntervalWindow interval) {
        start = interval.start().getMillis();
        end = interval.end().getMillis();
      } else {
        start = stats.hasTime() ? stats.firstMillis : 0L;
        end = stats.hasTime() ? stats.lastMillis : 0L;
      }
      ResultMessage message = message(stats, start, end, timeDomain.name());
      out.output(KV.of(message.window().start(), message.toJson()));
      PipelineMeters.WINDOWS.inc();
    }
  }

  /** The message of one window {@code [startMillis, endMillis)}. */
  public static ResultMessage message(
      DetectorStats stats, long startMillis, long endMillis, String timeDomain) {
    Counts counts =
        new Counts(
            stats.rows,
            stats.hits,
            stats.ancillary,
            stats.malformed,
            stats.unmapped,
            stats.scintillator,
            stats.orbits,
            stats.scintillatorOrbits,
            stats.late);
    List<Chamber> chambers = new ArrayList<>(Chambers.COUNT);
    for (int c = 0; c < Chambers.COUNT; c++) {
      chambers.add(
          new Chamber(
              c,
              stats.chamberHits(c),
              Histogram.of(Binning.CHANNEL, slice(stats.occupancy, c, Binning.CHANNEL)),
              Histogram.of(Binning.ACTIVE_CHANNELS, slice(stats.activeChannels, c, Binning.ACTIVE_CHANNELS)),
              Histogram.of(Binning.CHANNEL, slice(stats.scintillatorOccupancy, c, Binning.CHANNEL)),
              RangeHistogram.of(
                  Binning.DRIFT_TIME_NS,
                  slice(stats.driftTime, c, Binning.DRIFT_TIME_NS),
                  stats.driftUnderflow[c],
                  stats.driftOverflow[c]),
              range(stats.driftTimeFine, c, Binning.DRIFT_TIME_FINE_NS),
              range(stats.meanTimer, c, Binning.MEAN_TIMER_NS),
              new LayerEfficiency(
                  Arrays.copyOfRange(stats.layerTested, c * Cells.LAYERS, (c + 1) * Cells.LAYERS),
                  Arrays.copyOfRange(stats.layerFound, c * Cells.LAYERS, (c + 1) * Cells.LAYERS)),
              new Segments(
                  range(stats.segmentAngle, c, Binning.SEGMENT_ANGLE_DEG),
                  range(stats.segmentResidual, c, Binning.RESIDUAL_UM),
                  range(stats.segmentChi2PerNdf, c, Binning.CHI2_PER_NDF)),
              stats.crowdedOrbits[c]));
    }
    return new ResultMessage(
        ResultMessage.SCHEMA_VERSION,
        new Window(ResultMessage.iso(startMillis), ResultMessage.iso(endMillis)),
        timeDomain,
        counts,
        chambers);
  }

  /** One chamber's histogram of an array of {@code DetectorStats}'s underflow-bins-overflow layout. */
  private static RangeHistogram range(long[] all, int chamber, Binning binning) {
    int under = DetectorStats.rangeIndex(binning, chamber, -1);
    int over = DetectorStats.rangeIndex(binning, chamber, binning.bins);
    return RangeHistogram.of(binning, Arrays.copyOfRange(all, under + 1, over), all[under], all[over]);
  }

  /** One chamber's bins of a histogram stored for all chambers one after the other. */
  private static long[] slice(long[] all, int chamber, Binning binning) {
    return Arrays.copyOfRange(all, chamber * binning.bins, (chamber + 1) * binning.bins);
  }
}
