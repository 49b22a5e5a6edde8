package io.dtstream.pipeline.results;

import static io.dtstream.pipeline.model.Chambers.CHANNELS_PER_CHAMBER;
import static io.dtstream.pipeline.stats.DetectorStats.DRIFT_BINS;
import static io.dtstream.pipeline.stats.DetectorStats.DRIFT_BIN_NS;
import static io.dtstream.pipeline.stats.DetectorStats.DRIFT_MIN_NS;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dtstream.pipeline.model.Chambers;
import io.dtstream.pipeline.stats.DetectorStats;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The results message of DESIGN.md section 6: one JSON object per window, the contract with the
 * dashboard, the benchmarks and any other reader. {@code schema.json} beside this class is its
 * JSON Schema. Field order follows the record components.
 */
public record ResultMessage(
    int schema, Window window, String timeDomain, Counts counts, List<Chamber> chambers) {

  public static final int SCHEMA_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int[] CHANNEL_EDGES = edges(0, 1, CHANNELS_PER_CHAMBER + 1);
  private static final int[] ACTIVE_EDGES = edges(1, 1, CHANNELS_PER_CHAMBER + 1);
  private static final int[] DRIFT_EDGES = edges(DRIFT_MIN_NS, DRIFT_BIN_NS, DRIFT_BINS + 1);

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

  public record Histogram(int[] binEdges, long[] counts) {}

  public record DriftHistogram(int[] binEdges, long[] counts, long underflow, long overflow) {}

  /** The message of one window {@code [startMillis, endMillis)}. */
  public static ResultMessage of(
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
              new Histogram(CHANNEL_EDGES, chamberSlice(stats.occupancy, c)),
              new Histogram(ACTIVE_EDGES, chamberSlice(stats.activeChannels, c)),
              new Histogram(CHANNEL_EDGES, chamberSlice(stats.scintillatorOccupancy, c)),
              new DriftHistogram(
                  DRIFT_EDGES,
                  Arrays.copyOfRange(stats.driftTime, c * DRIFT_BINS, (c + 1) * DRIFT_BINS),
                  stats.driftUnderflow[c],
                  stats.driftOverflow[c])));
    }
    return new ResultMessage(
        SCHEMA_VERSION,
        new Window(iso(startMillis), iso(endMillis)),
        timeDomain,
        counts,
        chambers);
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

  private static long[] chamberSlice(long[] cells, int chamber) {
    return Arrays.copyOfRange(
        cells, chamber * CHANNELS_PER_CHAMBER, (chamber + 1) * CHANNELS_PER_CHAMBER);
  }

  private static int[] edges(int first, int step, int count) {
    return IntStream.range(0, count).map(i -> first + i * step).toArray();
  }
}
