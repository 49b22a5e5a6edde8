package io.dtstream.injector;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.MatchResult.Metadata;

/**
 * The rows of a source, streamed (never a whole file in memory): files or S3 objects in name
 * order, or the simulation. Header lines and blank lines are skipped; every other line is passed
 * on as it is.
 */
abstract class RowSource implements Iterator<String> {

  /** A source that cannot be read, with a message fit to show the user as it is. */
  static final class UnreadableSource extends RuntimeException {
    UnreadableSource(String message) {
      super(message);
    }
  }

  /**
   * Opens {@code sim:...}, {@code s3://bucket/prefix} (every object under the prefix), a local
   * file, a folder (its files) or a glob. Files ending in .gz, .bz2, .zst ... are decompressed.
   */
  static RowSource open(String source, boolean loop, ObjectStore store) {
    if (source.startsWith("sim:")) {
      return new Simulated(DetectorSimulation.fromSpec(source));
    }
    if (source.startsWith("s3://")) {
      store.register();
    }
    return new Lines(match(source), loop);
  }

  /** How much of the source has been read, in [0, 1]; NaN when it has no end. */
  abstract double fractionRead();

  static List<Metadata> match(String source) {
    String pattern = source;
    if (source.startsWith("s3://")) {
      pattern = FileSystems.hasGlobWildcard(source) ? source : source + "**";
    } else if (Files.isDirectory(Path.of(source))) {
      pattern = Path.of(source).resolve("*").toString();
    }
    try {
      MatchResult result = FileSystems.match(pattern, EmptyMatchTreatment.ALLOW);
      List<Metadata> files =
          result.metadata().stream()
              .filter(file -> !file.resourceId().isDirectory())
              .sorted(Comparator.comparing(file -> file.resourceId().toString()))
              .toList();
      if (files.isEmpty()) {
        throw new UnreadableSource("no such file or object: " + source);
      }
      return files;
    } catch (IOException | RuntimeException e) {
      if (e instanceof UnreadableSource) {
        throw (UnreadableSource) e;
      }
      throw new UnreadableSource("cannot list " + source + ": " + ObjectStore.explain(e));
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

    @Override
    double fractionRead() {
      return Double.NaN;
    }
  }

  /** Lines of files one after the other (and again from the first with --loop). */
  private static final class Lines extends RowSource {
    private final List<Metadata> files;
    private final boolean loop;
    private final long totalBytes;
    private long bytesOfClosedFiles;
    private int fileIndex = -1;
    private CountingChannel channel;
    private BufferedReader reader;
    private String nextLine;

    Lines(List<Metadata> files, boolean loop) {
      this.files = files;
      this.loop = loop;
      this.totalBytes = files.stream().mapToLong(Metadata::sizeBytes).sum();
      advance();
    }

    private void advance() {
      try {
        while (true) {
          String line = reader == null ? null : reader.readLine();
          if (line == null) {
            if (reader != null) {
              bytesOfClosedFiles += channel.bytes;
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
            openFile(files.get(fileIndex));
            continue;
          }
          if (!isHeaderOrBlank(line)) {
            nextLine = line;
            return;
          }
        }
      } catch (IOException | RuntimeException e) {
        throw new UnreadableSource("cannot read " + files.get(fileIndex).resourceId() + ": " + ObjectStore.explain(e));
      }
    }

    private void openFile(Metadata file) throws IOException {
      channel = new CountingChannel(FileSystems.open(file.resourceId()));
      ReadableByteChannel decompressed =
          Compression.detect(file.resourceId().getFilename()).readDecompressed(channel);
      reader =
          new BufferedReader(
              new InputStreamReader(Channels.newInputStream(decompressed), StandardCharsets.UTF_8), 1 << 16);
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

    @Override
    double fractionRead() {
      if (loop) {
        return Double.NaN;
      }
      long read = bytesOfClosedFiles + (reader == null ? 0 : channel.bytes);
      return totalBytes == 0 ? 1 : Math.min(1, (double) read / totalBytes);
    }
  }

  /** Counts the (compressed) bytes read, for the progress bar's estimate. */
  private static final class CountingChannel implements ReadableByteChannel {
    private final ReadableByteChannel in;
    long bytes;

    CountingChannel(ReadableByteChannel in) {
      this.in = in;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      int n = in.read(dst);
      if (n > 0) {
        bytes += n;
      }
      return n;
    }

    @Override
    public boolean isOpen() {
      return in.isOpen();
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
