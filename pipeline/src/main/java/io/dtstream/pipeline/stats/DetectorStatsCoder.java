package io.dtstream.pipeline.stats;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/** Compact, deterministic encoding: variable-length longs, so empty bins cost one byte. */
public final class DetectorStatsCoder extends CustomCoder<DetectorStats> {
  private static final DetectorStatsCoder INSTANCE = new DetectorStatsCoder();

  public static DetectorStatsCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(DetectorStats stats, OutputStream out) throws IOException {
    writeLongs(stats.counters(), out);
    for (long[] histogram : stats.histograms()) {
      writeLongs(histogram, out);
    }
  }

  @Override
  public DetectorStats decode(InputStream in) throws IOException {
    DetectorStats stats = new DetectorStats();
    long[] counters = stats.counters();
    readLongs(counters, in);
    stats.setCounters(counters);
    for (long[] histogram : stats.histograms()) {
      readLongs(histogram, in);
    }
    return stats;
  }

  @Override
  public void verifyDeterministic() {}

  static void writeLongs(long[] values, OutputStream out) throws IOException {
    for (long value : values) {
      VarInt.encode(value, out);
    }
  }

  static void readLongs(long[] target, InputStream in) throws IOException {
    for (int i = 0; i < target.length; i++) {
      target[i] = VarInt.decodeLong(in);
    }
  }
}
