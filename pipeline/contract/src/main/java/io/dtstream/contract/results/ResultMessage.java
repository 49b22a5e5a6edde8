package io.dtstream.contract.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
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
  /** Fields may be added to the message without a new schema version: readers ignore unknown ones,
   * and a field an older message lacks is left out again when written. */
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .setSerializationInclusion(JsonInclude.Include.NON_NULL);

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

  /**
   * One chamber's histograms. The DQM physics ({@code driftTimeFine} to {@code crowdedOrbits})
   * came later in schema 1: a message of an older pipeline has none of them, so readers take
   * them as absent (null) there.
   */
  public record Chamber(
      int chamber,
      long hits,
      Histogram occupancy,
      Histogram activeChannelsPerOrbit,
      Histogram scintillatorOccupancy,
      RangeHistogram driftTime,
      RangeHistogram driftTimeFine,
      RangeHistogram meanTimer,
      LayerEfficiency layerEfficiency,
      Segments segments,
      Long crowdedOrbits) {}

  public record Histogram(@JsonSerialize(using = Edges.class) double[] binEdges, long[] counts) {
    public static Histogram of(Binning binning, long[] counts) {
      return new Histogram(binning.edges(), counts);
    }
  }

  /** A histogram that also counts the values below its first edge and from its last edge on. */
  public record RangeHistogram(
      @JsonSerialize(using = Edges.class) double[] binEdges, long[] counts, long underflow, long overflow) {
    public static RangeHistogram of(Binning binning, long[] counts, long underflow, long overflow) {
      return new RangeHistogram(binning.edges(), counts, underflow, overflow);
    }
  }

  /** Per layer 1-4 (index 0-3): the orbits in which it was tested, and found on the track. */
  public record LayerEfficiency(long[] tested, long[] found) {}

  /** The local segments' angle (degrees), hit residuals (um) and chi2 per degree of freedom. */
  public record Segments(RangeHistogram angle, RangeHistogram residual, RangeHistogram chi2PerNdf) {}

  /** Whole edges as integers ({@code 10}, not {@code 10.0}), the others as they are ({@code 2.5}). */
  static final class Edges extends StdSerializer<double[]> {
    Edges() {
      super(double[].class);
    }

    @Override
    public void serialize(double[] edges, JsonGenerator out, SerializerProvider provider) throws IOException {
      out.writeStartArray(edges, edges.length);
      for (double edge : edges) {
        if (edge == Math.rint(edge) && Math.abs(edge) < 1e15) {
          out.writeNumber((long) edge);
        } else {
          out.writeNumber(edge);
        }
      }
      out.writeEndArray();
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
