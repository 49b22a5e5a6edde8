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

/**
 * Appends one row per run to a CSV file, writing the header when the file is new. A file written
 * before columns were added at the end gets them, empty in its earlier rows.
 */
final class CsvLog {
  private CsvLog() {}

  static void append(Path file, List<String> header, List<Object> values) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    StringBuilder text = new StringBuilder();
    String fullHeader = "date,machine," + String.join(",", header);
    if (!Files.exists(file)) {
      text.append(fullHeader).append('\n');
    } else {
      widen(file, fullHeader);
    }
    text.append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(',').append(BenchSettings.machine()).append(',');
    text.append(values.stream().map(String::valueOf).collect(Collectors.joining(","))).append('\n');
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /** Rewrites {@code file} with {@code header} if that only adds columns at the end of its own. */
  private static void widen(Path file, String header) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || lines.get(0).equals(header) || !header.startsWith(lines.get(0) + ",")) {
      return;
    }
    String padding = ",".repeat(header.split(",").length - lines.get(0).split(",").length);
    List<String> widened = new java.util.ArrayList<>();
    widened.add(header);
    lines.stream().skip(1).map(line -> line.isBlank() ? line : line + padding).forEach(widened::add);
    Files.write(file, widened, StandardCharsets.UTF_8);
  }
}
