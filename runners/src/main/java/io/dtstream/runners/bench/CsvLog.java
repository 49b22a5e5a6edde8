package io.dtstream.runners.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Collectors;

/** Appends one row per run to a CSV file, writing the header when the file is new. */
final class CsvLog {
  private CsvLog() {}

  static void append(Path file, List<String> header, List<Object> values) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    StringBuilder text = new StringBuilder();
    if (!Files.exists(file)) {
      text.append("date,machine,").append(String.join(",", header)).append('\n');
    }
    text.append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(',').append(BenchSettings.machine()).append(',');
    text.append(values.stream().map(String::valueOf).collect(Collectors.joining(","))).append('\n');
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }
}
