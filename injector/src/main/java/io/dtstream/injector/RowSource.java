package io.dtstream.injector;

import io.dtstream.contract.model.RowParser;
import io.dtstream.contract.model.Skipped;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
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
 * order, or the simulation. Lines end at \n, \r or \r\n (as Beam's TextIO reads them); header
 * and blank lines, as the pipeline's parser sees them, are skipped; every other line is passed on
 * as it is, decoded as UTF-8 (an invalid byte becomes U+FFFD, as the pipeline would decode it).
 * A source that cannot be read to its end gives its rows up to the fault, then {@link
 * #hasNext} throws {@link UnreadableSource}.
 */
abstract class RowSource implements Iterator<String> {
  /** The longest line, in UTF-8 bytes, that a Kafka record (1 MiB by default) can carry. */
  static final int MAX_LINE_BYTES = 1_000_000;

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

  /** A header or blank line by the pipeline's parser (a line starting with a digit is neither). */
  static boolean isHeaderOrBlank(String line) {
    boolean digitFirst = !line.isEmpty() && line.charAt(0) >= '0' && line.charAt(0) <= '9';
    return !digitFirst && RowParser.parse(line) instanceof Skipped;
  }

  /** The length of a line in UTF-8, as Kafka's serializer will write it. */
  static int utf8Length(String line) {
    int bytes = line.length();
    for (int i = 0; i < line.length(); i++) {
      bytes += extraUtf8Bytes(line.charAt(i));
    }
    return bytes;
  }

  /** UTF-8 bytes beyond one for a UTF-16 char (a surrogate pair: 4 bytes in all). */
  private static int extraUtf8Bytes(char c) {
    return c < 0x80 ? 0 : c < 0x800 || Character.isSurrogate(c) ? 1 : 2;
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
    private LineReader reader;
    private String nextLine;
    /** Why the source ends before its end: thrown by hasNext once the rows before it are taken. */
    private UnreadableSource failure;

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
              reader = null;
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
      } catch (IOException | RuntimeException | LinkageError e) {
        // LinkageError: a decompressor whose library is missing
        nextLine = null;
        failure = new UnreadableSource("cannot read " + files.get(fileIndex).resourceId() + ": " + explain(e));
        closeQuietly();
      }
    }

    private static String explain(Throwable error) {
      if (error instanceof LinkageError) {
        return "no decompressor for it here (" + error + ")";
      }
      if (error instanceof java.io.EOFException && error.getMessage() == null) {
        return "unexpected end of data (a truncated file?)";
      }
      return ObjectStore.explain(error);
    }

    private void closeQuietly() {
      try {
        if (reader != null) {
          reader.close();
        } else if (channel != null) {
          channel.close();
        }
      } catch (IOException | RuntimeException ignored) {
        // the read failed already; that is the error to report
      }
      reader = null;
    }

    private void openFile(Metadata file) throws IOException {
      channel = new CountingChannel(FileSystems.open(file.resourceId()));
      Compression compression = Compression.detect(file.resourceId().getFilename());
      ReadableByteChannel decompressed;
      try {
        decompressed = compression.readDecompressed(channel);
      } catch (LinkageError e) {
        throw new IOException("no " + compression + " decompressor here (" + e.getMessage() + " is missing)");
      }
      reader = new LineReader(new InputStreamReader(Channels.newInputStream(decompressed), StandardCharsets.UTF_8));
    }

    @Override
    public boolean hasNext() {
      if (nextLine == null && failure != null) {
        throw failure;
      }
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

  /**
   * Lines of a reader, ending at \n, \r or \r\n like {@link java.io.BufferedReader#readLine}, but
   * none held in memory beyond {@link #MAX_LINE_BYTES}: a file without line ends (binary, or not
   * rows at all) is an error, not a string of gigabytes.
   */
  private static final class LineReader implements AutoCloseable {
    private final Reader in;
    private final char[] buffer = new char[1 << 16];
    private final StringBuilder line = new StringBuilder();
    private int position;
    private int limit;
    private boolean skipLineFeed;
    private long lineNumber;

    LineReader(Reader in) {
      this.in = in;
    }

    /** The next line without its end, or null at the end of the input. */
    String readLine() throws IOException {
      line.setLength(0);
      long bytes = 0;
      while (true) {
        if (position == limit) {
          int read = in.read(buffer);
          if (read < 0) {
            if (line.isEmpty()) {
              return null;
            }
            lineNumber++;
            return line.toString();
          }
          position = 0;
          limit = read;
        }
        if (skipLineFeed) {
          skipLineFeed = false;
          if (buffer[position] == '\n') {
            position++;
            continue;
          }
        }
        int start = position;
        while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
          position++;
        }
        line.append(buffer, start, position - start);
        bytes += position - start;
        for (int i = start; i < position; i++) {
          bytes += extraUtf8Bytes(buffer[i]);
        }
        if (bytes > MAX_LINE_BYTES) {
          throw new IOException(
              "line " + (lineNumber + 1) + " is longer than " + MAX_LINE_BYTES + " bytes (not a file of rows?)");
        }
        if (position < limit) {
          skipLineFeed = buffer[position++] == '\r';
          lineNumber++;
          return line.toString();
        }
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
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
