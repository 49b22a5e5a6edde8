package io.dtstream.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes each message of the results topic into the history: reads it, judges its alarms against
 * the windows before it, and hands it on to the browsers. Malformed messages are logged, counted
 * and skipped. Called by the consumer's thread only.
 */
final class ResultsIngest {
  private static final Logger LOG = LoggerFactory.getLogger(ResultsIngest.class);

  private final WindowHistory history;
  private final QualityAlarms alarms;
  private final Consumer<LiveWindow> onWindow;
  private final AtomicLong malformedMessages = new AtomicLong();

  ResultsIngest(WindowHistory history, QualityAlarms alarms, Consumer<LiveWindow> onWindow) {
    this.history = history;
    this.alarms = alarms;
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
    List<WindowResults> judged = new ArrayList<>(history.resultsBefore(results.startInstant(), alarms.windows() - 1));
    judged.add(results);
    LiveWindow window = new LiveWindow(results, publishedAtMillis, alarms.evaluate(judged));
    if (history.put(window)) {
      onWindow.accept(window);
    } else {
      LOG.info("skipped window {} from {}: older than the history reaches back", results.start(), source);
    }
  }

  long malformedMessages() {
    return malformedMessages.get();
  }
}
