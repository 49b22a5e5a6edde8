package io.dtstream.runners.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Appends one row per run to a CSV file, writing the header when the file is new. A file written
 * before columns were added at the end gets them, empty in its earlier rows, and its renamed
 * columns' new names.
 */
final class CsvLog {
  /** Columns' earlier names: {@code sparkMaster} became {@code master} when the FlinkRunner got one. */
  private static final Map<String, String> RENAMED = Map.of("sparkMaster", "master");

  private CsvLog() {}

  /** A header's cells under their current names. */
  static List<String> currentNames(List<String> header) {
    return header.stream().map(column -> RENAMED.getOrDefault(column, column)).toList();
  }

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

  /**
   * Rewrites {@code file} with {@code header} if that only renames columns of its own or adds
   * columns at its end.
   */
  private static void widen(Path file, String header) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || lines.get(0).equals(header)) {
      return;
    }
    String current = String.join(",", currentNames(List.of(lines.get(0).split(",", -1))));
    if (!header.equals(current) && !header.startsWith(current + ",")) {
      return;
    }
    String padding = ",".repeat(header.split(",").length - current.split(",").length);
    List<String> widened = new java.util.ArrayList<>();
    widened.add(header);
    lines.stream().skip(1).map(line -> line.isBlank() ? line : line + padding).forEach(widened::add);
    Files.write(file, widened, StandardCharsets.UTF_8);
  }
}
