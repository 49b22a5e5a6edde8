package io.dtstream.pipeline.stats;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;

/**
 * Compact, deterministic encoding: the counters as variable-length longs, the histograms sparse
 * (only non-empty bins, each as the gap from the previous one and its count). The stats of one
 * window fill few of their ~1,100 bins, and the SparkRunner re-encodes its buffered state on
 * every micro-batch: dense encoding was half of a profiled run's CPU.
 */
public final class DetectorStatsCoder extends CustomCoder<DetectorStats> {
  private static final DetectorStatsCoder INSTANCE = new DetectorStatsCoder();

  public static DetectorStatsCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(DetectorStats stats, OutputStream out) throws IOException {
    PackedBytes.Writer writer = new PackedBytes.Writer();
    write(stats, writer);
    writer.writeTo(out);
  }

  @Override
  public DetectorStats decode(InputStream in) throws IOException {
    PackedBytes.Reader reader = PackedBytes.Reader.readFrom(in);
    DetectorStats stats = read(reader);
    reader.expectEnd();
    return stats;
  }

  @Override
  public void verifyDeterministic() {}

  static void write(DetectorStats stats, PackedBytes.Writer out) {
    for (long counter : stats.counters()) {
      out.putLong(counter);
    }
    for (long[] histogram : stats.histograms()) {
      writeSparse(histogram, out);
    }
  }

  static DetectorStats read(PackedBytes.Reader in) throws CoderException {
    DetectorStats stats = new DetectorStats();
    long[] counters = stats.counters();
    for (int i = 0; i < counters.length; i++) {
      counters[i] = in.getLong();
    }
    stats.setCounters(counters);
    for (long[] histogram : stats.histograms()) {
      readSparse(histogram, in);
    }
    return stats;
  }

  private static void writeSparse(long[] values, PackedBytes.Writer out) {
    int nonEmpty = 0;
    for (long value : values) {
      nonEmpty += value != 0 ? 1 : 0;
    }
    out.putLong(nonEmpty);
    int previous = -1;
    for (int i = 0; i < values.length; i++) {
      if (values[i] != 0) {
        out.putLong(i - previous - 1);
        out.putLong(values[i]);
        previous = i;
      }
    }
  }

  private static void readSparse(long[] target, PackedBytes.Reader in) throws CoderException {
    int nonEmpty = in.getInt();
    int index = -1;
    for (int n = 0; n < nonEmpty; n++) {
      index += in.getInt() + 1;
      if (index < 0 || index >= target.length) {
        throw new CoderException("histogram bin " + index + " out of " + target.length);
      }
      target[index] = in.getLong();
    }
  }
}
