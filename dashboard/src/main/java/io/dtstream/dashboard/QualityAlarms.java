package io.dtstream.dashboard;

import static io.dtstream.contract.model.Chambers.CHANNELS_PER_CHAMBER;
import static io.dtstream.contract.model.Chambers.COUNT;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The channel alarms of a DQM shift display, judged on the occupancy summed over the last
 * {@code windows} windows (one window alone has too few hits per channel to tell):
 *
 * <ul>
 *   <li>dead: a channel with no hits while its chamber's median channel has at least {@code
 *       deadMinMedianHits} (a live channel would then have had some: a quiet chamber proves
 *       nothing about its channels);
 *   <li>noisy: a channel with more than {@code noisyFactor} times its chamber's median channel
 *       (at least 1, so that a lone firing channel of a silent chamber is flagged too).
 * </ul>
 */
public final class QualityAlarms {
  private final int windows;
  private final double noisyFactor;
  private final long deadMinMedianHits;

  public QualityAlarms(int windows, double noisyFactor, long deadMinMedianHits) {
    if (windows < 1 || !(noisyFactor > 1) || deadMinMedianHits < 1) {
      throw new IllegalArgumentException("alarm settings out of range");
    }
    this.windows = windows;
    this.noisyFactor = noisyFactor;
    this.deadMinMedianHits = deadMinMedianHits;
  }

  /** How many windows, up to and including the judged one, the alarms look at. */
  public int windows() {
    return windows;
  }

  /** A flagged channel: its hits over the windows looked at, and its chamber's median. */
  public record ChannelAlarm(int chamber, int channel, long hits, double chamberMedian) {}

  /** The alarms of one window, and each chamber's median channel over the windows looked at. */
  public record Report(int windowsLookedAt, List<ChannelAlarm> dead, List<ChannelAlarm> noisy, List<Double> chamberMedians) {
    public static final Report NONE = new Report(0, List.of(), List.of(), List.of());
  }

  /** Judges the last window of {@code recent} (ordered by window start) with those before it. */
  public Report evaluate(List<WindowResults> recent) {
    List<WindowResults> lookedAt = recent.subList(Math.max(0, recent.size() - windows), recent.size());
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
        if (hits[channel] == 0 && median >= deadMinMedianHits) {
          dead.add(new ChannelAlarm(c, channel, 0, median));
        } else if (hits[channel] > noisyFactor * Math.max(median, 1)) {
          noisy.add(new ChannelAlarm(c, channel, hits[channel], median));
        }
      }
    }
    return new Report(lookedAt.size(), List.copyOf(dead), List.copyOf(noisy), List.copyOf(medians));
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
            : "chamber " + c + " channel " + channel + ": " + noisy.hits() + " hits, "
                + Math.round(noisy.hits() / Math.max(noisy.chamberMedian(), 1)) + "x the chamber median"));
      }
    }
    return verdicts;
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
