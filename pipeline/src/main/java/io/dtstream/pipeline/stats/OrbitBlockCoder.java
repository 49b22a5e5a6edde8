package io.dtstream.pipeline.stats;

import io.dtstream.pipeline.stats.OrbitBlock.OrbitSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/** Encodes an {@link OrbitBlock}: its counters, then each open orbit's compact summary. */
public final class OrbitBlockCoder extends CustomCoder<OrbitBlock> {
  private static final OrbitBlockCoder INSTANCE = new OrbitBlockCoder();

  public static OrbitBlockCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(OrbitBlock block, OutputStream out) throws IOException {
    DetectorStatsCoder.of().encode(block.counts, out);
    VarInt.encode(block.orbits.size(), out);
    for (Map.Entry<Long, OrbitSummary> entry : block.orbits.entrySet()) {
      OrbitSummary orbit = entry.getValue();
      VarInt.encode(entry.getKey(), out);
      DetectorStatsCoder.writeLongs(orbit.activeMasks, out);
      // Shifted by one so that "no scintillator" is a single zero byte.
      VarInt.encode(orbit.earliestScintillatorTick == OrbitBlock.NO_SCINTILLATOR
          ? 0 : orbit.earliestScintillatorTick + 1, out);
      VarInt.encode(orbit.hitCount, out);
      for (int i = 0; i < orbit.hitCount; i++) {
        VarInt.encode(orbit.chamberHits[i], out);
      }
    }
  }

  @Override
  public OrbitBlock decode(InputStream in) throws IOException {
    OrbitBlock block = new OrbitBlock();
    block.counts.add(DetectorStatsCoder.of().decode(in));
    int orbitCount = VarInt.decodeInt(in);
    for (int n = 0; n < orbitCount; n++) {
      OrbitSummary orbit = new OrbitSummary();
      long orbitNumber = VarInt.decodeLong(in);
      DetectorStatsCoder.readLongs(orbit.activeMasks, in);
      int scintillator = VarInt.decodeInt(in);
      orbit.earliestScintillatorTick = scintillator == 0 ? OrbitBlock.NO_SCINTILLATOR : scintillator - 1;
      int hits = VarInt.decodeInt(in);
      orbit.chamberHits = new int[Math.max(hits, 2)];
      for (int i = 0; i < hits; i++) {
        orbit.chamberHits[i] = VarInt.decodeInt(in);
      }
      orbit.hitCount = hits;
      block.orbits.put(orbitNumber, orbit);
    }
    return block;
  }
}
