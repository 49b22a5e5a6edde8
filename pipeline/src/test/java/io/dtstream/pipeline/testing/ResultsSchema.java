package io.dtstream.pipeline.testing;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Holds results messages to the contract's JSON Schema. */
public final class ResultsSchema {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResultsSchema() {}

  public static void assertValid(String message) {
    try {
      assertEquals(
          "schema violations in " + message,
          List.of(),
          io.dtstream.contract.results.ResultsSchema.violations(JSON.readTree(message)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
