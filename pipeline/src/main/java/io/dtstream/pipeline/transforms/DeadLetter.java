package io.dtstream.pipeline.transforms;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** A row that could not be parsed: the original line and the reason, for the dead-letter output. */
public record DeadLetter(String line, String reason) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** {@code {"reason": ..., "line": ...}}, the dead-letter topic's message. */
  public String toJson() {
    return JSON.createObjectNode().put("reason", reason).put("line", line).toString();
  }

  public static final class Coder extends CustomCoder<DeadLetter> {
    private static final StringUtf8Coder STRING = StringUtf8Coder.of();

    @Override
    public void encode(DeadLetter value, OutputStream out) throws IOException {
      STRING.encode(value.line(), out);
      STRING.encode(value.reason(), out);
    }

    @Override
    public DeadLetter decode(InputStream in) throws IOException {
      return new DeadLetter(STRING.decode(in), STRING.decode(in));
    }

    @Override
    public void verifyDeterministic() {}
  }
}
