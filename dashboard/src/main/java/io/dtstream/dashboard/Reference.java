package io.dtstream.dashboard;

import io.dtstream.contract.model.Chambers;
import io.dtstream.contract.results.ResultMessage;
import io.dtstream.quality.ChamberQuality;
import io.dtstream.quality.Sums;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A known good run ({@code dashboard --reference=FILE}): the output of {@code analyze --summary}
 * over it, one results message; a file of several (plain {@code analyze}, one per line) is added
 * up. Each chamber's histograms and its quality, fitted once here with the library the live views
 * use, are what the live views are compared with.
 *
 * @param source the file, for the page and the messages
 * @param windows the messages the file held
 */
record Reference(String source, int windows, List<ResultMessage.Chamber> chambers, List<ChamberQuality> quality) {

  /** The reference's chamber {@code c}, null if it has none. */
  ResultMessage.Chamber chamber(int c) {
    return c < chambers.size() ? chambers.get(c) : null;
  }

  ChamberQuality quality(int c) {
    return quality.get(c);
  }

  /**
   * Reads {@code file}; a file that is missing, unreadable or not results messages of this schema
   * is refused with one line saying why.
   */
  static Reference load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--reference: no such file: " + file);
    } catch (MalformedInputException e) {
      throw new IllegalArgumentException("--reference: " + file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new IllegalArgumentException("--reference: cannot read " + file + " (" + e.getMessage() + ")");
    }
    List<List<ResultMessage.Chamber>> messages = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        messages.add(WindowResults.parse(null, lines.get(i)).histograms());
      } catch (WindowResults.MalformedMessageException e) {
        throw new IllegalArgumentException(
            "--reference: " + file + " line " + (i + 1) + " is not a results message (analyze --summary writes one): " + e.getMessage());
      }
    }
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("--reference: " + file + " holds no results message (analyze --summary writes one)");
    }
    List<ResultMessage.Chamber> chambers = Sums.chambers(messages);
    List<ChamberQuality> quality = new ArrayList<>();
    for (int c = 0; c < Chambers.COUNT; c++) {
      quality.add(ChamberQuality.of(c < chambers.size() ? chambers.get(c) : null));
    }
    return new Reference(file.toString(), messages.size(), chambers, quality);
  }
}
