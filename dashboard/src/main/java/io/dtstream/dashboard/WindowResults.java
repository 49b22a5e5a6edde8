package io.dtstream.dashboard;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtstream.contract.results.ResultMessage;
import io.dtstream.contract.results.ResultsSchema;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * One results message (README, "The results message") as the dashboard keeps it and serves it to
 * the page, checked on the way in against the contract: {@link ResultsSchema} for the structure,
 * then what a schema cannot say. Each chamber keeps its histograms' counts; their bin edges, which
 * the schema makes the same in every chamber, are kept once per window in {@link #binEdges}. The
 * message's chambers whole ({@link #histograms}, the DQM physics included) stay on the server,
 * for the quality fits: the page gets those as fits, not as bins.
 */
public record WindowResults(
    String start,
    String end,
    String timeDomain,
    ResultMessage.Counts counts,
    List<Chamber> chambers,
    BinEdges binEdges,
    @JsonIgnore List<ResultMessage.Chamber> histograms) {

  /** Larger messages are not results messages (one is about 20 kB with the DQM histograms). */
  static final int MAX_MESSAGE_CHARS = 1 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A chamber's histograms, counts only (the page and the alarms index them by bin). */
  public record Chamber(
      int chamber,
      long hits,
      long[] occupancy,
      long[] activeChannelsPerOrbit,
      long[] scintillatorOccupancy,
      long[] driftTime,
      long driftTimeUnderflow,
      long driftTimeOverflow) {

    static Chamber of(ResultMessage.Chamber c) {
      return new Chamber(c.chamber(), c.hits(), c.occupancy().counts(), c.activeChannelsPerOrbit().counts(),
          c.scintillatorOccupancy().counts(), c.driftTime().counts(), c.driftTime().underflow(), c.driftTime().overflow());
    }
  }

  /** The bin edges of each histogram, as the message carries them: the page's labels and sizes. */
  public record BinEdges(
      double[] occupancy, double[] activeChannelsPerOrbit, double[] scintillatorOccupancy, double[] driftTime) {
    static BinEdges of(ResultMessage.Chamber c) {
      return new BinEdges(c.occupancy().binEdges(), c.activeChannelsPerOrbit().binEdges(),
          c.scintillatorOccupancy().binEdges(), c.driftTime().binEdges());
    }
  }

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

  /** The window's duration, end minus start, in seconds: what its counts are rates over. */
  public double seconds() {
    return Duration.between(startInstant(), endInstant()).toNanos() / 1e9;
  }

  /**
   * Reads one message of {@code data_clean}. {@code key} (the window start, may be null) must
   * match the message's own window start, so that a replaced window is the same window. The
   * reason of a rejection is one line, starting with the path of the field at fault if there is
   * one ({@code $.chambers[2].driftTime.counts: ...}).
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
      throw new MalformedMessageException("not JSON: " + abbreviate(String.valueOf(e.getOriginalMessage())));
    }
    if (!root.isObject()) {
      throw new MalformedMessageException("not a JSON object");
    }
    // Before the schema: a message of another version may differ anywhere, and this is why.
    JsonNode schema = root.path("schema");
    if (!schema.isIntegralNumber() || !schema.canConvertToInt() || schema.intValue() != ResultMessage.SCHEMA_VERSION) {
      throw new MalformedMessageException(
          "$.schema: expected " + ResultMessage.SCHEMA_VERSION + ", got " + abbreviate(schema.toString()));
    }
    List<String> violations = ResultsSchema.violations(root);
    if (!violations.isEmpty()) {
      throw new MalformedMessageException(first(violations));
    }
    ResultMessage message = read(root);
    String start = instant(message.window().start(), "$.window.start");
    String end = instant(message.window().end(), "$.window.end");
    if (!Instant.parse(end).isAfter(Instant.parse(start))) {
      throw new MalformedMessageException("$.window.end " + end + " is not after $.window.start " + start);
    }
    if (key != null && !sameInstant(key, start)) {
      throw new MalformedMessageException("key " + abbreviate(key) + " is not the window start " + start);
    }
    // The schema holds chamber i at index i, and the same edges in every chamber.
    return new WindowResults(start, end, message.timeDomain(), message.counts(),
        message.chambers().stream().map(Chamber::of).toList(), BinEdges.of(message.chambers().get(0)),
        message.chambers());
  }

  /** The message in the contract's records; what the schema lets through can still overflow a long. */
  private static ResultMessage read(JsonNode root) throws MalformedMessageException {
    try {
      return ResultMessage.fromTree(root);
    } catch (JsonMappingException e) {
      StringBuilder path = new StringBuilder("$");
      for (JsonMappingException.Reference step : e.getPath()) {
        path.append(step.getFieldName() != null ? "." + step.getFieldName() : "[" + step.getIndex() + "]");
      }
      throw new MalformedMessageException(path + ": " + abbreviate(String.valueOf(e.getOriginalMessage())));
    } catch (JsonProcessingException e) {
      throw new MalformedMessageException("not a results message: " + abbreviate(String.valueOf(e.getOriginalMessage())));
    }
  }

  /** The first violation (they come sorted) with its path whole, the rest of it abbreviated. */
  private static String first(List<String> violations) {
    String first = violations.get(0);
    int colon = first.indexOf(": ");
    String reason = colon < 0 ? abbreviate(first) : first.substring(0, colon + 2) + abbreviate(first.substring(colon + 2));
    return violations.size() == 1 ? reason : reason + " (and " + (violations.size() - 1) + " more)";
  }

  /** The schema checks for a string only: an instant must also parse. */
  private static String instant(String text, String path) throws MalformedMessageException {
    try {
      Instant.parse(text);
      return text;
    } catch (DateTimeParseException e) {
      throw new MalformedMessageException(path + ": expected an ISO-8601 instant, got " + abbreviate(JSON.valueToTree(text).toString()));
    }
  }

  private static boolean sameInstant(String key, String start) {
    try {
      return Instant.parse(key).equals(Instant.parse(start));
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** At most 80 characters, on one line: reasons quote input and end up in the log. */
  static String abbreviate(String text) {
    String line = text.replaceAll("\\R", " ");
    return line.length() <= 80 ? line : line.substring(0, 77) + "...";
  }
}
