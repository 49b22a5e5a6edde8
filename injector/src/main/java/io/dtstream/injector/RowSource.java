package io.dtstream.injector;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine;

/**
 * The rows of a source, streamed (never a whole file in memory): local files in name order, or the
 * simulation. Header lines and blank lines are skipped; every other line is passed on as it is.
 */
abstract class RowSource implements Iterator<String> {

  static RowSource open(String source, boolean loop) throws IOException {
    if (source.startsWith("sim:")) {
      try {
        return new Simulated(DetectorSimulation.fromSpec(source));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(new CommandLine(new Inject()), e.getMessage());
      }
    }
    if (source.startsWith("s3://")) {
      throw new CommandLine.ParameterException(
          new CommandLine(new Inject()), "s3:// sources are not supported yet: copy the files and give their folder");
    }
    List<Path> files = files(source);
    if (files.isEmpty()) {
      throw new CommandLine.ParameterException(new CommandLine(new Inject()), "no file matches --source=" + source);
    }
    return new Files_(files, loop);
  }

  static List<Path> files(String source) throws IOException {
    Path path = Path.of(source);
    if (Files.isRegularFile(path)) {
      return List.of(path);
    }
    if (Files.isDirectory(path)) {
      try (Stream<Path> children = Files.list(path)) {
        return children.filter(Files::isRegularFile).sorted().toList();
      }
    }
    Path dir = path.getParent() == null ? Path.of(".") : path.getParent();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + path.getFileName());
    try (Stream<Path> children = Files.list(dir)) {
      return children.filter(p -> glob.matches(p.getFileName()) && Files.isRegularFile(p)).sorted().toList();
    }
  }

  static boolean isHeaderOrBlank(String line) {
    String trimmed = line.strip();
    return trimmed.isEmpty() || trimmed.startsWith("HEAD,") || trimmed.equals("HEAD");
  }

  private static final class Simulated extends RowSource {
    private final DetectorSimulation simulation;

    Simulated(DetectorSimulation simulation) {
      this.simulation = simulation;
    }

    @Override
    public boolean hasNext() {
      return true;
    }

    @Override
    public String next() {
      return simulation.next();
    }
  }

  /** Lines of files one after the other (and again from the first with --loop). */
  private static final class Files_ extends RowSource {
    private final List<Path> files;
    private final boolean loop;
    private int fileIndex = -1;
    private BufferedReader reader;
    private String nextLine;

    Files_(List<Path> files, boolean loop) {
      this.files = files;
      this.loop = loop;
      advance();
    }

    private void advance() {
      try {
        while (true) {
          String line = reader == null ? null : reader.readLine();
          if (line == null) {
            if (reader != null) {
              reader.close();
            }
            fileIndex++;
            if (fileIndex == files.size()) {
              if (!loop) {
                nextLine = null;
                return;
              }
              fileIndex = 0;
            }
            reader = open(files.get(fileIndex));
            continue;
          }
          if (!isHeaderOrBlank(line)) {
            nextLine = line;
            return;
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + files.get(fileIndex) + ": " + e.getMessage(), e);
      }
    }

    private static BufferedReader open(Path file) throws IOException {
      InputStream in = Files.newInputStream(file);
      if (file.getFileName().toString().endsWith(".gz")) {
        in = new GZIPInputStream(in);
      }
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    @Override
    public boolean hasNext() {
      return nextLine != null;
    }

    @Override
    public String next() {
      if (nextLine == null) {
        throw new NoSuchElementException();
      }
      String line = nextLine;
      advance();
      return line;
    }
  }
}
