package io.dtstream.testing;

import static io.dtstream.testing.HostileLines.describe;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.dtstream.contract.model.Malformed;
import io.dtstream.contract.model.ParsedRow;
import io.dtstream.contract.model.RowParser;
import io.dtstream.contract.model.Skipped;
import io.dtstream.testing.HostileLines.Kind;
import io.dtstream.testing.HostileLines.Line;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * The shared generator says what each line is, and the tests that use it trust that: every line
 * is of its kind to the parser, holds no line end, and a stream's lines are counted by {@link
 * ReferenceCount} as the parser counts them, all within the run's time. Checked here, fast, on
 * the very lines StreamingPipelineTest sends, so that a slip shows before the slow tests run.
 */
public class HostileLinesTest {
  @Test
  public void everyLineForFilesIsOfItsKind() {
    HostileLines hostile = new HostileLines(3);
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      lines.add(hostile.next());
    }
    for (int i = 0; i < 10; i++) {
      lines.add(hostile.huge());
    }
    lines.add(hostile.ofBytes(HostileLines.MAX_LINE_BYTES));
    Map<Kind, Integer> kinds = assertOfTheirKinds(lines);
    assertTrue("kinds " + kinds, kinds.get(Kind.ROW) > 20_000 && kinds.get(Kind.MALFORMED) > 20_000);
    assertTrue("kinds " + kinds, kinds.get(Kind.SKIPPED) > 1_000);
  }

  @Test
  public void streamLinesAreCountedByTheReferenceAsByTheParser() {
    List<Line> lines = HostileLines.forStream(11).lines(100_000); // StreamingPipelineTest's
    Map<Kind, Integer> kinds = assertOfTheirKinds(lines);
    List<String> texts = lines.stream().map(Line::text).toList();
    assertEquals(texts, HostileLines.stream(11, 100_000));

    ReferenceCount reference = ReferenceCount.of(texts, 5_000);
    List<String> malformed = lines.stream().filter(line -> line.kind() == Kind.MALFORMED).map(Line::text).toList();
    assertEquals(malformed, reference.malformedLines);
    assertEquals(100_000 - kinds.get(Kind.SKIPPED), reference.total.rows);
    assertEquals((long) kinds.get(Kind.ROW), reference.total.hits + reference.total.ancillary);
    long span = Collections.max(reference.windows.keySet()) - Collections.min(reference.windows.keySet());
    assertTrue("valid rows over " + span + " ms of detector time", span <= 25_000);
  }

  /** Fails at the first line the parser takes for another kind or that holds a line end; counts the kinds. */
  private static Map<Kind, Integer> assertOfTheirKinds(List<Line> lines) {
    Map<Kind, Integer> kinds = new EnumMap<>(Kind.class);
    for (Kind kind : Kind.values()) {
      kinds.put(kind, 0);
    }
    for (Line line : lines) {
      for (byte b : line.bytes()) {
        if (b == '\n' || b == '\r') {
          fail("a line end in " + describe(line.text()));
        }
      }
      ParsedRow parsed = RowParser.parse(line.text());
      Kind kind = parsed instanceof Skipped ? Kind.SKIPPED : parsed instanceof Malformed ? Kind.MALFORMED : Kind.ROW;
      if (kind != line.kind()) {
        fail("a " + line.kind() + " line the parser takes for " + parsed + ": " + describe(line.text()));
      }
      kinds.merge(kind, 1, Integer::sum);
    }
    return kinds;
  }
}
