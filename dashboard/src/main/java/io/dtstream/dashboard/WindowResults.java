package io.dtstream.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The fields of one results message (README, "The results message") that the dashboard shows, checked on
 * the way in. Histograms keep their counts only: their bin edges are fixed by the schema. This is
 * the dashboard's own reading of the message, so that it does not depend on the pipeline module.
 */
public record WindowResults(
    String start, String end, String timeDomain, Counts counts, List<Chamber> chambers) {

  public static final int CHAMBERS = 4;
  public static final int CHANNELS_PER_CHAMBER = 64;
  public static final int DRIFT_BINS = 80;
  /** Larger messages are not results messages (one is about 5 kB). */
  static final int MAX_MESSAGE_CHARS = 1 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TIME_DOMAINS = Set.of("ingest", "detector");

  public record Counts(
      long rows,
      long hits,
      long ancillary,
      long malformed,
      long unmapped,
      long scintillator,
      long orbits,
      long scintillatorOrbits,
      long late) {}

  public record Chamber(
      int chamber,
      long hits,
      long[] occupancy,
      long[] activeChannelsPerOrbit,
      long[] scintillatorOccupancy,
      long[] driftTime,
      long driftTimeUnderflow,
      long driftTimeOverflow) {}

  /** A message that is not a results message of a schema this dashboard reads. */
  public static final class MalformedMessageException extends Exception {
    MalformedMessageException(String reason) {
      super(reason);
    }
  }

  public Instant startInstant() {
    return Instant.parse(start);
  }

  public Instant endInstant() {
    return Instant.parse(end);
  }

  /**
   * Reads one message of {@code data_clean}. {@code key} (the window start, may be null) must
   * match the message's own window start, so that a replaced window is the same window.
   */
  public static WindowResults parse(String key, String json) throws MalformedMessageException {
    if (json == null || json.isBlank()) {
      throw new MalformedMessageException("empty message");
    }
    if (json.length() > MAX_MESSAGE_CHARS) {
      throw new MalformedMessageException("message of " + json.length() + " characters is too large");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new MalformedMessageException("not JSON: " + e.getOriginalMessage());
    }
    if (!root.isObject()) {
      throw new MalformedMessageException("not a JSON object");
    }
    if (!root.path("schema").isIntegralNumber() || root.path("schema").asInt() != 1) {
      throw new MalformedMessageException("schema: expected 1, got " + abbreviate(root.path("schema").toString()));
    }
    JsonNode window = object(root, "window");
    String start = instant(window, "start");
    String end = instant(window, "end");
    if (!Instant.parse(end).isAfter(Instant.parse(start))) {
      throw new MalformedMessageException("window.end " + end + " is not after window.start " + start);
    }
    if (key != null && !sameInstant(key, start)) {
      throw new MalformedMessageException("key " + abbreviate(key) + " is not the window start " + start);
    }
    JsonNode timeDomain = root.path("timeDomain");
    if (!timeDomain.isTextual() || !TIME_DOMAINS.contains(timeDomain.asText())) {
      throw new MalformedMessageException("timeDomain: expected one of " + TIME_DOMAINS + ", got " + abbreviate(timeDomain.toString()));
    }
    JsonNode counts = object(root, "counts");
    Counts parsedCounts =
        new Counts(
            count(counts, "counts.rows"),
            count(counts, "counts.hits"),
            count(counts, "counts.ancillary"),
            count(counts, "counts.malformed"),
            count(counts, "counts.unmapped"),
            count(counts, "counts.scintillator"),
            count(counts, "counts.orbits"),
            count(counts, "counts.scintillatorOrbits"),
            count(counts, "counts.late"));
    JsonNode chambers = root.path("chambers");
    if (!chambers.isArray() || chambers.size() != CHAMBERS) {
      throw new MalformedMessageException("chambers: expected an array of " + CHAMBERS);
    }
    List<Chamber> parsedChambers = new ArrayList<>(CHAMBERS);
    for (int c = 0; c < CHAMBERS; c++) {
      parsedChambers.add(chamber(chambers.get(c), c));
    }
    return new WindowResults(start, end, timeDomain.asText(), parsedCounts, List.copyOf(parsedChambers));
  }

  private static Chamber chamber(JsonNode node, int index) throws MalformedMessageException {
    String path = "chambers[" + index + "]";
    if (!node.isObject() || node.path("chamber").asInt(-1) != index) {
      throw new MalformedMessageException(path + ".chamber: expected " + index);
    }
    JsonNode drift = object(node, path + ".driftTime");
    return new Chamber(
        index,
        count(node, path + ".hits"),
        histogram(node, path + ".occupancy", CHANNELS_PER_CHAMBER),
        histogram(node, path + ".activeChannelsPerOrbit", CHANNELS_PER_CHAMBER),
        histogram(node, path + ".scintillatorOccupancy", CHANNELS_PER_CHAMBER),
        histogram(node, path + ".driftTime", DRIFT_BINS),
        count(drift, path + ".driftTime.underflow"),
        count(drift, path + ".driftTime.overflow"));
  }

  /** The counts of the histogram at {@code path}, whose last part is the field of {@code parent}. */
  private static long[] histogram(JsonNode parent, String path, int bins) throws MalformedMessageException {
    JsonNode counts = object(parent, path).path("counts");
    if (!counts.isArray() || counts.size() != bins) {
      throw new MalformedMessageException(path + ".counts: expected an array of " + bins);
    }
    long[] values = new long[bins];
    for (int i = 0; i < bins; i++) {
      values[i] = nonNegative(counts.get(i), path + ".counts[" + i + "]");
    }
    return values;
  }

  /** The object at {@code path}, whose last part is the field of {@code parent}. */
  private static JsonNode object(JsonNode parent, String path) throws MalformedMessageException {
    JsonNode node = parent.path(path.substring(path.lastIndexOf('.') + 1));
    if (!node.isObject()) {
      throw new MalformedMessageException(path + ": expected an object");
    }
    return node;
  }

  /** The count at {@code path}, whose last part is the field of {@code parent}. */
  private static long count(JsonNode parent, String path) throws MalformedMessageException {
    return nonNegative(parent.path(path.substring(path.lastIndexOf('.') + 1)), path);
  }

  private static long nonNegative(JsonNode node, String path) throws MalformedMessageException {
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
      throw new MalformedMessageException(path + ": expected a count, got " + abbreviate(node.toString()));
    }
    return node.asLong();
  }

  private static String instant(JsonNode window, String field) throws MalformedMessageException {
    JsonNode node = window.path(field);
    try {
      if (node.isTextual()) {
        Instant.parse(node.asText());
        return node.asText();
      }
    } catch (DateTimeParseException e) {
      // reported below
    }
    throw new MalformedMessageException(
        "window." + field + ": expected an ISO-8601 instant, got " + abbreviate(node.toString()));
  }

  private static boolean sameInstant(String key, String start) {
    try {
      return Instant.parse(key).equals(Instant.parse(start));
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
