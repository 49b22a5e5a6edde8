package io.dtstream.contract.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON Schema of the results message ({@code results.schema.json} beside this class), the
 * published form of {@link ResultMessage}: the pipeline's tests hold every message to it and the
 * dashboard checks what it reads with it.
 */
public final class ResultsSchema {
  /** The schema's resource, for readers in other languages. */
  public static final String RESOURCE = "results.schema.json";

  private static final JsonSchema SCHEMA = load();

  private ResultsSchema() {}

  /** What in {@code message} breaks the schema, one line each ({@code $.path: reason}); none if valid. */
  public static List<String> violations(JsonNode message) {
    return SCHEMA.validate(message).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  /** The schema's text. */
  public static InputStream open() {
    return ResultsSchema.class.getResourceAsStream(RESOURCE);
  }

  private static JsonSchema load() {
    try (InputStream in = open()) {
      return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
