package io.dtstream.dashboard;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dtstream.contract.results.Binning;
import io.dtstream.dashboard.WindowResults.MalformedMessageException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.function.Consumer;
import org.junit.Test;

public class WindowResultsTest {
  private static final Instant START = Instant.parse("2026-11-22T10:00:00Z");

  @Test
  public void readsTheFieldsItShows() throws Exception {
    long[][] occupancy = TestWindows.flat(1, 2, 3, 4);
    occupancy[2][5] = 40;
    WindowResults results = WindowResults.parse(START.toString(), TestWindows.json(START, occupancy, 7));
    assertEquals("2026-11-22T10:00:00Z", results.start());
    assertEquals(START.plusSeconds(5), results.endInstant());
    assertEquals(64 * (1 + 2 + 3 + 4) - 3 + 40 + 7, results.counts().hits());
    assertEquals(7, results.counts().unmapped());
    assertEquals(64 * 3 - 3 + 40, results.chambers().get(2).hits());
    assertArrayEquals(occupancy[2], results.chambers().get(2).occupancy());
    assertEquals(80, results.chambers().get(3).driftTime().length);
    assertEquals(2, results.chambers().get(3).driftTimeOverflow());
  }

  @Test
  public void aMessageWithoutKeyIsRead() throws Exception {
    assertEquals(START, WindowResults.parse(null, TestWindows.json(START, TestWindows.flat(1, 1, 1, 1), 0)).startInstant());
  }

  @Test
  public void malformedMessagesAreRejectedWithTheReason() {
    assertMalformed("not JSON", "{\"schema\": 1, ");
    assertMalformed("not a JSON object", "[1, 2]");
    assertMalformed("empty", "");
    assertMalformed("schema", edit(m -> m.put("schema", 2)));
    assertMalformed("window.start", edit(m -> m.with("window").put("start", "yesterday")));
    assertMalformed("not after", edit(m -> m.with("window").put("end", START.toString())));
    assertMalformed("timeDomain", edit(m -> m.put("timeDomain", "<b>wall</b>")));
    assertMalformed("counts.hits", edit(m -> m.with("counts").put("hits", -1)));
    assertMalformed("$.counts: required property 'late'", edit(m -> m.with("counts").remove("late")));
    assertMalformed("counts.rows", edit(m -> m.with("counts").put("rows", "12")));
    assertMalformed("chambers", edit(m -> m.withArray("chambers").remove(3)));
    assertMalformed("chambers[1].chamber", edit(m -> ((ObjectNode) m.withArray("chambers").get(1)).put("chamber", 0)));
    assertMalformed("chambers[0].occupancy.counts",
        edit(m -> ((ObjectNode) m.withArray("chambers").get(0)).with("occupancy").withArray("counts").remove(0)));
    assertMalformed("chambers[3].driftTime.counts[4]",
        edit(m -> ((ObjectNode) m.withArray("chambers").get(3)).with("driftTime").withArray("counts").set(4, m.textNode("x"))));
    assertMalformed("too large", "x".repeat(WindowResults.MAX_MESSAGE_CHARS + 1));
    assertMalformed("$.chambers[1].driftTime.binEdges",
        edit(m -> ((ObjectNode) m.withArray("chambers").get(1)).with("driftTime").withArray("binEdges").set(0, m.numberNode(-300))));
    assertMalformed("$.counts.orbits: ", edit(m -> m.with("counts").put("orbits", new BigInteger("1" + "0".repeat(30)))));
  }

  /** The schema's first violation, its path whole, on one line, and how many more there are. */
  @Test
  public void theReasonIsTheFirstViolationOnOneLine() {
    MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> WindowResults.parse(START.toString(),
        edit(m -> {
          m.with("counts").put("hits", -1);
          ((ObjectNode) m.withArray("chambers").get(2)).with("driftTime").withArray("counts").remove(0);
        })));
    assertEquals("$.chambers[2].driftTime.counts: must have at least 80 items but found 79 (and 1 more)", e.getMessage());
    assertEquals("one line", 1, e.getMessage().lines().count());
  }

  @Test
  public void fieldsAddedToTheMessageAreIgnored() throws Exception {
    String json = edit(m -> {
      m.put("comment", "added later");
      m.with("counts").put("duplicates", 3);
    });
    assertEquals(64 * 4 + 100, WindowResults.parse(START.toString(), json).counts().rows());
  }

  /** The page labels its charts with the edges the message carries, served with the counts. */
  @Test
  public void theBinEdgesOfTheMessageAreServedToThePage() throws Exception {
    WindowResults results = WindowResults.parse(null, TestWindows.json(START, TestWindows.flat(1, 1, 1, 1), 0));
    assertArrayEquals(Binning.DRIFT_TIME_NS.edges(), results.binEdges().driftTime(), 0);
    assertArrayEquals(Binning.ACTIVE_CHANNELS.edges(), results.binEdges().activeChannelsPerOrbit(), 0);
    JsonNode served = new ObjectMapper().valueToTree(results);
    assertEquals(-200, served.path("binEdges").path("driftTime").get(0).asInt());
    assertEquals(600, served.path("binEdges").path("driftTime").get(80).asInt());
    assertEquals(65, served.path("binEdges").path("occupancy").size());
    assertEquals(1, served.path("chambers").get(0).path("occupancy").get(5).asLong());
  }

  @Test
  public void theKeyMustBeTheWindowStart() {
    String json = TestWindows.json(START, TestWindows.flat(1, 1, 1, 1), 0);
    MalformedMessageException e =
        assertThrows(MalformedMessageException.class, () -> WindowResults.parse("2026-11-22T10:00:05Z", json));
    assertTrue(e.getMessage(), e.getMessage().contains("is not the window start"));
  }

  private static String edit(Consumer<ObjectNode> change) {
    ObjectNode message = TestWindows.message(START, TestWindows.flat(1, 1, 1, 1), 0);
    change.accept(message);
    return message.toString();
  }

  private static void assertMalformed(String reason, String json) {
    MalformedMessageException e =
        assertThrows(MalformedMessageException.class, () -> WindowResults.parse(START.toString(), json));
    assertTrue("expected '" + reason + "' in: " + e.getMessage(), e.getMessage().contains(reason));
  }
}
