package io.dtstream.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.IntStream;

/** Results messages for tests, in the results schema, with chosen occupancies. */
final class TestWindows {
  static final Duration LENGTH = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private TestWindows() {}

  /** Occupancies where every channel of chamber c has {@code perChannel[c]} hits. */
  static long[][] flat(long... perChannel) {
    long[][] occupancy = new long[4][64];
    for (int c = 0; c < 4; c++) {
      Arrays.fill(occupancy[c], perChannel[c]);
    }
    return occupancy;
  }

  /** The message of the window starting at {@code start}, with {@code unmapped} hits off the chambers. */
  static ObjectNode message(Instant start, long[][] occupancy, long unmapped) {
    return message(start, LENGTH, occupancy, unmapped);
  }

  /** As {@link #message(Instant, long[][], long)}, for a window {@code length} long. */
  static ObjectNode message(Instant start, Duration length, long[][] occupancy, long unmapped) {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", 1);
    root.putObject("window").put("start", start.toString()).put("end", start.plus(length).toString());
    root.put("timeDomain", "ingest");
    long chamberHits = Arrays.stream(occupancy).flatMapToLong(Arrays::stream).sum();
    long hits = chamberHits + unmapped;
    root.putObject("counts")
        .put("rows", hits + 100)
        .put("hits", hits)
        .put("ancillary", 100)
        .put("malformed", 0)
        .put("unmapped", unmapped)
        .put("scintillator", unmapped)
        .put("orbits", hits / 4)
        .put("scintillatorOrbits", unmapped)
        .put("late", 0);
    ArrayNode chambers = root.putArray("chambers");
    for (int c = 0; c < 4; c++) {
      ObjectNode chamber = chambers.addObject();
      chamber.put("chamber", c);
      chamber.put("hits", Arrays.stream(occupancy[c]).sum());
      histogram(chamber.putObject("occupancy"), 0, occupancy[c]);
      histogram(chamber.putObject("activeChannelsPerOrbit"), 1, sequence(64, c + 1));
      histogram(chamber.putObject("scintillatorOccupancy"), 0, halve(occupancy[c]));
      ObjectNode drift = chamber.putObject("driftTime");
      ArrayNode edges = drift.putArray("binEdges");
      IntStream.rangeClosed(0, 80).forEach(i -> edges.add(-200 + 10 * i));
      long[] driftCounts = sequence(80, c);
      ArrayNode counts = drift.putArray("counts");
      Arrays.stream(driftCounts).forEach(counts::add);
      drift.put("underflow", 1).put("overflow", 2);
    }
    return root;
  }

  /**
   * The message of {@link #message} with the DQM physics: per chamber a time box of {@code
   * entries} drift times uniform from {@code t0Ns[c]} to 390 ns later (in driftTimeFine's 2.5 ns
   * bins from -100 ns, drawn with {@code seed}), and layers tested 100 times, found {@code found[c]}.
   */
  static ObjectNode withPhysics(ObjectNode message, long seed, int entries, double[] t0Ns, long[] found) {
    java.util.Random random = new java.util.Random(seed);
    for (int c = 0; c < 4; c++) {
      ObjectNode chamber = (ObjectNode) message.path("chambers").get(c);
      long[] fine = new long[240];
      for (int i = 0; i < entries; i++) {
        fine[(int) Math.floor((t0Ns[c] + 390 * random.nextDouble() + 100) / 2.5)]++;
      }
      range(chamber.putObject("driftTimeFine"), -100, 2.5, fine);
      range(chamber.putObject("meanTimer"), 250, 2.5, new long[100]);
      ObjectNode efficiency = chamber.putObject("layerEfficiency");
      ArrayNode tested = efficiency.putArray("tested");
      ArrayNode foundNode = efficiency.putArray("found");
      for (int layer = 0; layer < 4; layer++) {
        tested.add(100);
        foundNode.add(found[c]);
      }
      ObjectNode segments = chamber.putObject("segments");
      range(segments.putObject("angle"), -60, 2, new long[60]);
      range(segments.putObject("residual"), -2000, 100, new long[40]);
      range(segments.putObject("chi2PerNdf"), 0, 0.5, new long[20]);
      chamber.put("crowdedOrbits", 0);
    }
    return message;
  }

  private static void range(ObjectNode histogram, double first, double width, long[] counts) {
    ArrayNode edges = histogram.putArray("binEdges");
    for (int i = 0; i <= counts.length; i++) {
      double edge = first + i * width;
      if (edge == Math.rint(edge)) {
        edges.add((long) edge);
      } else {
        edges.add(edge);
      }
    }
    ArrayNode values = histogram.putArray("counts");
    Arrays.stream(counts).forEach(values::add);
    histogram.put("underflow", 0).put("overflow", 0);
  }

  static String json(Instant start, long[][] occupancy, long unmapped) {
    return message(start, occupancy, unmapped).toString();
  }

  static WindowResults results(Instant start, long[][] occupancy) {
    return results(start, LENGTH, occupancy);
  }

  static WindowResults results(Instant start, Duration length, long[][] occupancy) {
    try {
      return WindowResults.parse(start.toString(), message(start, length, occupancy, 0).toString());
    } catch (WindowResults.MalformedMessageException e) {
      throw new AssertionError(e);
    }
  }

  private static void histogram(ObjectNode histogram, int firstEdge, long[] counts) {
    ArrayNode edges = histogram.putArray("binEdges");
    IntStream.rangeClosed(0, counts.length).forEach(i -> edges.add(firstEdge + i));
    ArrayNode values = histogram.putArray("counts");
    Arrays.stream(counts).forEach(values::add);
  }

  /** A histogram that differs per chamber, so that a chart showing the wrong one is caught. */
  private static long[] sequence(int bins, int seed) {
    return IntStream.range(0, bins).mapToLong(i -> (i * 7L + seed * 13L) % 23).toArray();
  }

  private static long[] halve(long[] values) {
    return Arrays.stream(values).map(v -> v / 2).toArray();
  }
}
