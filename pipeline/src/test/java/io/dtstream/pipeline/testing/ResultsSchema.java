package io.dtstream.pipeline.testing;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Set;

/** Validates results messages against the JSON Schema shipped with the pipeline. */
public final class ResultsSchema {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonSchema SCHEMA = load();

  private ResultsSchema() {}

  private static JsonSchema load() {
    try (InputStream in = ResultsSchema.class.getResourceAsStream("/results.schema.json")) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void assertValid(String message) {
    try {
      JsonNode node = JSON.readTree(message);
      Set<ValidationMessage> errors = SCHEMA.validate(node);
      assertEquals("schema violations in " + message, Set.of(), errors);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
