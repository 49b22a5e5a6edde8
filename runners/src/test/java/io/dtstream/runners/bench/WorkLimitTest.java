package io.dtstream.runners.bench;

import static org.junit.Assert.assertEquals;

import io.dtstream.contract.results.ResultMessage;
import io.dtstream.testing.Comparisons;
import io.dtstream.testing.ReferenceCount;
import io.dtstream.testing.RowGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** The work limit does the pipeline's work: every window equals the independent count. */
public class WorkLimitTest {
  @Test
  public void everyWindowEqualsTheIndependentCount() throws Exception {
    List<String> lines = RowGenerator.generate(3, 20_000, 30);
    ReferenceCount reference = ReferenceCount.of(lines, 5_000);
    WorkLimit work = new WorkLimit(Duration.ofSeconds(5));
    for (int i = 0; i < lines.size(); i += 7) { // records of 7 rows, as the injector packs them
      work.add(String.join("\n", lines.subList(i, Math.min(lines.size(), i + 7))).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    assertEquals(reference.total.rows, work.rows());
    assertEquals(reference.total.malformed, work.malformed());
    List<Long> starts = new ArrayList<>();
    for (String json : work.messages()) {
      ResultMessage message = ResultMessage.fromJson(json);
      long start = Instant.parse(message.window().start()).toEpochMilli();
      starts.add(start);
      Comparisons.assertMatches(reference.windows.get(start), message, false);
    }
    assertEquals(List.copyOf(reference.windows.keySet()), starts);
  }
}
