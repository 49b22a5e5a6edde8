package io.dtstream.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each message of the results topic into the history: reads it, judges its alarms against
 * the windows before it, fits the rolling quality view as it stands at it (the trend), judges the
 * quality tests for the alarm journal, and hands it on to the browsers. Malformed messages are logged, counted
 * and skipped. Called by the consumer's thread only.
 */
final class ResultsIngest {
  private static final Logger LOG = LoggerFactory.getLogger(ResultsIngest.class);

  private final WindowHistory history;
  private final QualityAlarms alarms;
  private final Consumer<LiveWindow> onWindow;
  private final QualityTrend trend;
  private final int qualityWindows;
  private final QualityTests tests;
  private final AlarmJournal journal;
  private final Reference reference;
  private final AtomicLong malformedMessages = new AtomicLong();

  ResultsIngest(WindowHistory history, QualityAlarms alarms, QualityTrend trend, int qualityWindows,
      QualityTests tests, AlarmJournal journal, Reference reference, Consumer<LiveWindow> onWindow) {
    this.history = history;
    this.alarms = alarms;
    this.trend = trend;
    this.qualityWindows = qualityWindows;
    this.tests = tests;
    this.journal = journal;
    this.reference = reference;
    this.onWindow = onWindow;
  }

  /** One message; {@code source} says where it came from, for the log. */
  void accept(String key, String value, long publishedAtMillis, String source) {
    WindowResults results;
    try {
      results = WindowResults.parse(key, value);
    } catch (WindowResults.MalformedMessageException e) {
      long count = malformedMessages.incrementAndGet();
      LOG.warn("skipped malformed message #{} at {} (key {}): {}", count, source,
          key == null ? "none" : WindowResults.abbreviate(key), e.getMessage());
      return;
    }
    // This window and those before it, as many as the channel alarms and the rolling view look at.
    List<WindowResults> recent =
        new ArrayList<>(history.resultsBefore(results.startInstant(), Math.max(alarms.windows(), qualityWindows) - 1));
    recent.add(results);
    LiveWindow window = new LiveWindow(results, publishedAtMillis, alarms.evaluate(recent));
    // The trend and the alarms first: whoever sees the window in the history finds them too.
    QualityView view = QualityView.of(
        QualityView.Kind.rolling, recent.subList(Math.max(0, recent.size() - qualityWindows), recent.size()), List.of(), reference);
    trend.put(results.startInstant(), view);
    // (a window too old for the history is older than the last one judged: the journal skips it)
    List<AlarmJournal.Verdict> verdicts = new ArrayList<>(alarms.verdicts(window.alarms()));
    verdicts.addAll(tests.verdicts(view));
    for (AlarmJournal.Alarm transition : journal.judge(results.startInstant(), verdicts)) {
      LOG.info("alarm {} {}: {}", transition.id(), transition.state(), transition.message());
    }
    if (history.put(window)) {
      onWindow.accept(window);
    } else {
      trend.remove(results.startInstant());
      LOG.info("skipped window {} from {}: older than the history reaches back", results.start(), source);
    }
  }

  long malformedMessages() {
    return malformedMessages.get();
  }
}
