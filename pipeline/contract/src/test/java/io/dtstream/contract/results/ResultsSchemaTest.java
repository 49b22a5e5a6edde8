package io.dtstream.contract.results;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtstream.contract.results.ResultMessage.Chamber;
import io.dtstream.contract.results.ResultMessage.Counts;
import io.dtstream.contract.results.ResultMessage.DriftHistogram;
import io.dtstream.contract.results.ResultMessage.Histogram;
import io.dtstream.contract.results.ResultMessage.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.Test;

/** The three forms of the contract agree: the message type, its bins and its JSON Schema. */
public class ResultsSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  public void theSchemaHasTheBinsOfTheBinning() throws Exception {
    JsonNode schema = JSON.readTree(ResultsSchema.open());
    JsonNode chamber = schema.at("/$defs/chamber/properties");
    assertBins(Binning.CHANNEL, schema.at("/$defs/channelHistogram/properties"));
    assertEquals("#/$defs/channelHistogram", chamber.at("/occupancy/$ref").asText());
    assertEquals("#/$defs/channelHistogram", chamber.at("/scintillatorOccupancy/$ref").asText());
    assertBins(Binning.ACTIVE_CHANNELS, chamber.at("/activeChannelsPerOrbit/properties"));
    assertBins(Binning.DRIFT_TIME_NS, chamber.at("/driftTime/properties"));
  }

  @Test
  public void aMessageOfTheTypeIsValidAndAMangledOneIsNot() throws Exception {
    ResultMessage message = message();
    JsonNode json = JSON.readTree(message.toJson());
    assertEquals(List.of(), ResultsSchema.violations(json));
    assertEquals(message.toJson(), ResultMessage.fromJson(message.toJson()).toJson());

    ObjectNode negative = json.deepCopy();
    ((ObjectNode) negative.path("counts")).put("hits", -1);
    assertFalse(ResultsSchema.violations(negative).isEmpty());
    ObjectNode shortDrift = json.deepCopy();
    ((ObjectNode) shortDrift.at("/chambers/2/driftTime")).putArray("counts").add(1);
    assertFalse(ResultsSchema.violations(shortDrift).isEmpty());
  }

  private static void assertBins(Binning binning, JsonNode histogram) {
    int[] edges =
        StreamSupport.stream(histogram.at("/binEdges/const").spliterator(), false)
            .mapToInt(JsonNode::asInt)
            .toArray();
    assertArrayEquals(binning.name(), binning.edges(), edges);
    assertEquals(binning.name(), binning.bins, histogram.at("/counts/minItems").asInt());
    assertEquals(binning.name(), binning.bins, histogram.at("/counts/maxItems").asInt());
  }

  private static ResultMessage message() {
    List<Chamber> chambers = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      chambers.add(
          new Chamber(
              c,
              3,
              Histogram.of(Binning.CHANNEL, new long[Binning.CHANNEL.bins]),
              Histogram.of(Binning.ACTIVE_CHANNELS, new long[Binning.ACTIVE_CHANNELS.bins]),
              Histogram.of(Binning.CHANNEL, new long[Binning.CHANNEL.bins]),
              DriftHistogram.of(Binning.DRIFT_TIME_NS, new long[Binning.DRIFT_TIME_NS.bins], 1, 2)));
    }
    return new ResultMessage(
        ResultMessage.SCHEMA_VERSION,
        new Window("2026-12-01T00:00:00Z", "2026-12-01T00:00:05Z"),
        "detector",
        new Counts(20, 12, 4, 4, 0, 1, 2, 1, 0),
        chambers);
  }
}
