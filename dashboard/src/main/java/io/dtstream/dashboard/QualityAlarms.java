package io.dtstream.dashboard;

import static io.dtstream.contract.model.Chambers.CHANNELS_PER_CHAMBER;
import static io.dtstream.contract.model.Chambers.COUNT;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The channel alarms of a DQM shift display, judged on the occupancy summed over the last
 * {@code windows} windows (one window alone has too few hits per channel to tell):
 *
 * <ul>
 *   <li>dead: a channel with no hits while its chamber's median channel has at least {@code
 *       deadMinMedianHits} (a live channel would then have had some: a quiet chamber proves
 *       nothing about its channels);
 *   <li>noisy: a channel with more than {@code noisyFactor} times its chamber's median channel
 *       (at least 1, so that a lone firing channel of a silent chamber is flagged too), or with a
 *       rate above {@code noisyHz}: its hits over the windows' total duration (the sum of each
 *       window's end minus start, so that a gap between windows does not dilute the rate). The
 *       absolute limit catches a chamber whose channels are all noisy, where the median rises with
 *       them.
 * </ul>
 */
public final class QualityAlarms {
  private final int windows;
  private final double noisyFactor;
  private final double noisyHz;
  private final long deadMinMedianHits;

  public QualityAlarms(int windows, double noisyFactor, double noisyHz, long deadMinMedianHits) {
    if (windows < 1 || !(noisyFactor > 1) || !(noisyHz > 0) || deadMinMedianHits < 1) {
      throw new IllegalArgumentException("alarm settings out of range");
    }
    this.windows = windows;
    this.noisyFactor = noisyFactor;
    this.noisyHz = noisyHz;
    this.deadMinMedianHits = deadMinMedianHits;
  }

  /** How many windows, up to and including the judged one, the alarms look at. */
  public int windows() {
    return windows;
  }

  /**
   * A flagged channel: its hits over the windows looked at, its chamber's median, its rate, and
   * which noisy rules it broke (both false for a dead channel).
   */
  public record ChannelAlarm(
      int chamber, int channel, long hits, double chamberMedian, double hz, boolean aboveMedian, boolean aboveRate) {

    static ChannelAlarm dead(int chamber, int channel, double chamberMedian) {
      return new ChannelAlarm(chamber, channel, 0, chamberMedian, 0, false, false);
    }
  }

  /**
   * The alarms of one window, the windows looked at and their total duration, and each chamber's
   * median channel over them.
   */
  public record Report(
      int windowsLookedAt, double secondsLookedAt, List<ChannelAlarm> dead, List<ChannelAlarm> noisy, List<Double> chamberMedians) {
    public static final Report NONE = new Report(0, 0, List.of(), List.of(), List.of());
  }

  /** Judges the last window of {@code recent} (ordered by window start) with those before it. */
  public Report evaluate(List<WindowResults> recent) {
    List<WindowResults> lookedAt = recent.subList(Math.max(0, recent.size() - windows), recent.size());
    double seconds = lookedAt.stream().mapToDouble(WindowResults::seconds).sum();
    List<ChannelAlarm> dead = new ArrayList<>();
    List<ChannelAlarm> noisy = new ArrayList<>();
    List<Double> medians = new ArrayList<>();
    for (int c = 0; c < COUNT; c++) {
      long[] hits = new long[CHANNELS_PER_CHAMBER];
      for (WindowResults window : lookedAt) {
        long[] occupancy = window.chambers().get(c).occupancy();
        for (int channel = 0; channel < CHANNELS_PER_CHAMBER; channel++) {
          hits[channel] += occupancy[channel];
        }
      }
      double median = median(hits);
      medians.add(median);
      for (int channel = 0; channel < CHANNELS_PER_CHAMBER; channel++) {
        boolean aboveMedian = hits[channel] > noisyFactor * Math.max(median, 1);
        // hits > limit * seconds rather than hits / seconds > limit: exact at the limit for whole rates
        boolean aboveRate = hits[channel] > noisyHz * seconds;
        if (hits[channel] == 0 && median >= deadMinMedianHits) {
          dead.add(ChannelAlarm.dead(c, channel, median));
        } else if (aboveMedian || aboveRate) {
          noisy.add(new ChannelAlarm(c, channel, hits[channel], median, hits[channel] / seconds, aboveMedian, aboveRate));
        }
      }
    }
    return new Report(lookedAt.size(), seconds, List.copyOf(dead), List.copyOf(noisy), List.copyOf(medians));
  }

  /**
   * The channel tests' verdicts for the alarm journal: every channel is judged noisy or not; a
   * chamber's channels are judged dead or not only where its median says a live channel would
   * have had hits.
   */
  List<AlarmJournal.Verdict> verdicts(Report report) {
    List<AlarmJournal.Verdict> verdicts = new ArrayList<>();
    for (int c = 0; c < report.chamberMedians().size(); c++) {
      boolean deadJudged = report.chamberMedians().get(c) >= deadMinMedianHits;
      for (int channel = 0; channel < CHANNELS_PER_CHAMBER; channel++) {
        ChannelAlarm dead = find(report.dead(), c, channel);
        ChannelAlarm noisy = find(report.noisy(), c, channel);
        if (deadJudged) {
          verdicts.add(new AlarmJournal.Verdict("dead", c, null, channel, dead != null,
              "chamber " + c + " channel " + channel + ": no hits in " + report.windowsLookedAt()
                  + " windows (chamber median " + Math.round(report.chamberMedians().get(c)) + ")"));
        }
        verdicts.add(new AlarmJournal.Verdict("noisy", c, null, channel, noisy != null, noisy == null ? ""
            : "chamber " + c + " channel " + channel + ": " + noisy.hits() + " hits, " + noisyReason(noisy)));
      }
    }
    return verdicts;
  }

  /** Which rule a noisy channel broke: the factor over its chamber's median, the absolute rate, or both. */
  private String noisyReason(ChannelAlarm noisy) {
    List<String> reasons = new ArrayList<>();
    if (noisy.aboveMedian()) {
      reasons.add(String.format(Locale.ROOT, "%.1fx the chamber median, above the %sx limit",
          noisy.hits() / Math.max(noisy.chamberMedian(), 1), format(noisyFactor)));
    }
    if (noisy.aboveRate()) {
      reasons.add(String.format(Locale.ROOT, "%.1f Hz, above the %s Hz limit", noisy.hz(), format(noisyHz)));
    }
    return String.join(" and ", reasons);
  }

  /** A limit as it was given: 500, not 500.0; 2.5 as 2.5. */
  private static String format(double limit) {
    return limit == Math.rint(limit) && Math.abs(limit) < 1e15 ? Long.toString((long) limit) : Double.toString(limit);
  }

  private static ChannelAlarm find(List<ChannelAlarm> alarms, int chamber, int channel) {
    return alarms.stream().filter(a -> a.chamber() == chamber && a.channel() == channel).findFirst().orElse(null);
  }

  static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
  }
}
