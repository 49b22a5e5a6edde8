package io.dtstream.contract.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The results message: one JSON object per window, the contract with the dashboard, the
 * benchmarks and any other reader (README, "The results message"). {@link ResultsSchema} holds
 * its JSON Schema, {@link Binning} its histograms' bins. Field order follows the record
 * components. Adding a counter: a component here, the stats class that fills it, the schema, a
 * test.
 */
public record ResultMessage(
    int schema, Window window, String timeDomain, Counts counts, List<Chamber> chambers) {

  public static final int SCHEMA_VERSION = 1;
  /** Fields may be added to the message without a new schema version: readers ignore unknown ones. */
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  public record Window(String start, String end) {}

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
      Histogram occupancy,
      Histogram activeChannelsPerOrbit,
      Histogram scintillatorOccupancy,
      DriftHistogram driftTime) {}

  public record Histogram(int[] binEdges, long[] counts) {
    public static Histogram of(Binning binning, long[] counts) {
      return new Histogram(binning.edges(), counts);
    }
  }

  public record DriftHistogram(int[] binEdges, long[] counts, long underflow, long overflow) {
    public static DriftHistogram of(Binning binning, long[] counts, long underflow, long overflow) {
      return new DriftHistogram(binning.edges(), counts, underflow, overflow);
    }
  }

  /** ISO-8601, as the Kafka key of a window's message. */
  public static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ResultMessage fromJson(String json) throws JsonProcessingException {
    return JSON.readValue(json, ResultMessage.class);
  }

  /** The message of a JSON tree already read (checked with {@link ResultsSchema} first, say). */
  public static ResultMessage fromTree(JsonNode json) throws JsonProcessingException {
    return JSON.treeToValue(json, ResultMessage.class);
  }
}
