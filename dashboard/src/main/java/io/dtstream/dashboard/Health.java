package io.dtstream.dashboard;

import java.util.List;

/**
 * What {@code GET /api/health} answers and the page's header shows: Kafka's state, the last
 * window, the bookkeeping, the last window's channel alarms, and per chamber how many alarms of
 * the journal fire (the header's traffic lights), and why the alarm topic is not used, if it is
 * not. {@code status} is {@code ok} while Kafka is reachable and the topic exists, else {@code
 * degraded} ({@code kafka.problem} says why).
 */
record Health(
    String status,
    ResultsConsumer.KafkaStatus kafka,
    LastWindow lastWindow,
    int windowsInHistory,
    long malformedMessages,
    int connectedClients,
    QualityAlarms.Report alarms,
    List<Integer> firingAlarms,
    String alarmTopicProblem) {

  /** The newest window; null fields before the first. */
  record LastWindow(String start, String end, long publishedAtMillis, double pipelineDelaySeconds, double rowsPerSecond) {
    static LastWindow of(LiveWindow window) {
      return new LastWindow(window.results().start(), window.results().end(), window.publishedAtMillis(),
          window.pipelineDelaySeconds(), window.rowsPerSecond());
    }
  }
}
