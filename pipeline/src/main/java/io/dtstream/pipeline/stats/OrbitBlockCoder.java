package io.dtstream.pipeline.stats;

import io.dtstream.pipeline.stats.OrbitBlock.OrbitSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;

/** Encodes an {@link OrbitBlock}: its counters, then each open orbit's compact summary. */
public final class OrbitBlockCoder extends CustomCoder<OrbitBlock> {
  private static final OrbitBlockCoder INSTANCE = new OrbitBlockCoder();

  public static OrbitBlockCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(OrbitBlock block, OutputStream out) throws IOException {
    PackedBytes.Writer writer = new PackedBytes.Writer();
    DetectorStatsCoder.write(block.counts, writer);
    writer.putLong(block.orbits.size());
    for (Map.Entry<Long, OrbitSummary> entry : block.orbits.entrySet()) {
      OrbitSummary orbit = entry.getValue();
      writer.putLong(entry.getKey());
      for (long mask : orbit.activeMasks) {
        writer.putLong(mask);
      }
      // Shifted by one so that "no scintillator" is a single zero byte.
      writer.putLong(orbit.earliestScintillatorTick == OrbitBlock.NO_SCINTILLATOR
          ? 0 : orbit.earliestScintillatorTick + 1L);
      writer.putLong(orbit.hitCount);
      for (int i = 0; i < orbit.hitCount; i++) {
        writer.putLong(orbit.chamberHits[i]);
      }
    }
    writer.writeTo(out);
  }

  @Override
  public OrbitBlock decode(InputStream in) throws IOException {
    PackedBytes.Reader reader = PackedBytes.Reader.readFrom(in);
    OrbitBlock block = new OrbitBlock();
    block.counts.add(DetectorStatsCoder.read(reader));
    int orbitCount = reader.getInt();
    for (int n = 0; n < orbitCount; n++) {
      OrbitSummary orbit = new OrbitSummary();
      long orbitNumber = reader.getLong();
      for (int c = 0; c < orbit.activeMasks.length; c++) {
        orbit.activeMasks[c] = reader.getLong();
      }
      int scintillator = reader.getInt();
      orbit.earliestScintillatorTick = scintillator == 0 ? OrbitBlock.NO_SCINTILLATOR : scintillator - 1;
      int hits = reader.getInt();
      if (hits < 0) {
        throw new CoderException("negative hit count " + hits);
      }
      orbit.chamberHits = new int[Math.max(hits, 2)];
      for (int i = 0; i < hits; i++) {
        orbit.chamberHits[i] = reader.getInt();
      }
      orbit.hitCount = hits;
      block.orbits.put(orbitNumber, orbit);
    }
    reader.expectEnd();
    return block;
  }
}
