package io.dtstream.contract.results;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtstream.contract.results.ResultMessage.Chamber;
import io.dtstream.contract.results.ResultMessage.Counts;
import io.dtstream.contract.results.ResultMessage.LayerEfficiency;
import io.dtstream.contract.results.ResultMessage.RangeHistogram;
import io.dtstream.contract.results.ResultMessage.Segments;
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
    assertBins(Binning.DRIFT_TIME_FINE_NS, chamber.at("/driftTimeFine/properties"));
    assertBins(Binning.MEAN_TIMER_NS, chamber.at("/meanTimer/properties"));
    assertBins(Binning.SEGMENT_ANGLE_DEG, chamber.at("/segments/properties/angle/properties"));
    assertBins(Binning.RESIDUAL_UM, chamber.at("/segments/properties/residual/properties"));
    assertBins(Binning.CHI2_PER_NDF, chamber.at("/segments/properties/chi2PerNdf/properties"));
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
    ObjectNode fiveLayers = json.deepCopy();
    ((ObjectNode) fiveLayers.at("/chambers/1/layerEfficiency")).putArray("found").add(1).add(1).add(1).add(1).add(1);
    assertFalse(ResultsSchema.violations(fiveLayers).isEmpty());
  }

  @Test
  public void edgesAreWrittenAsTheSchemaHasThem() throws Exception {
    String json = message().toJson();
    assertTrue(json, json.contains("\"binEdges\":[-200,-190,"));
    assertTrue(json, json.contains("\"binEdges\":[-100,-97.5,-95,"));
  }

  @Test
  public void aMessageOfAnOlderPipelineWithoutTheDqmPhysicsIsValidAndReadsBackTheSame() throws Exception {
    ObjectNode json = (ObjectNode) JSON.readTree(message().toJson());
    for (JsonNode chamber : json.path("chambers")) {
      ((ObjectNode) chamber).remove(List.of("driftTimeFine", "meanTimer", "layerEfficiency", "segments", "crowdedOrbits"));
    }
    assertEquals(List.of(), ResultsSchema.violations(json));
    ResultMessage older = ResultMessage.fromTree(json);
    assertNull(older.chambers().get(0).meanTimer());
    assertEquals(json, JSON.readTree(older.toJson()));
  }

  private static void assertBins(Binning binning, JsonNode histogram) {
    double[] edges =
        StreamSupport.stream(histogram.at("/binEdges/const").spliterator(), false)
            .mapToDouble(JsonNode::asDouble)
            .toArray();
    assertArrayEquals(binning.name(), binning.edges(), edges, 0);
    assertEquals(binning.name(), binning.bins, histogram.at("/counts/minItems").asInt());
    assertEquals(binning.name(), binning.bins, histogram.at("/counts/maxItems").asInt());
  }

  private static RangeHistogram range(Binning binning) {
    return RangeHistogram.of(binning, new long[binning.bins], 1, 2);
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
              range(Binning.DRIFT_TIME_NS),
              range(Binning.DRIFT_TIME_FINE_NS),
              range(Binning.MEAN_TIMER_NS),
              new LayerEfficiency(new long[] {5, 5, 4, 5}, new long[] {5, 4, 4, 5}),
              new Segments(range(Binning.SEGMENT_ANGLE_DEG), range(Binning.RESIDUAL_UM), range(Binning.CHI2_PER_NDF)),
              0L));
    }
    return new ResultMessage(
        ResultMessage.SCHEMA_VERSION,
        new Window("2026-12-01T00:00:00Z", "2026-12-01T00:00:05Z"),
        "detector",
        new Counts(20, 12, 4, 4, 0, 1, 2, 1, 0),
        chambers);
  }
}
