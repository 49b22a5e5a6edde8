package io.dtstream.pipeline.stats;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * Encodes an {@link OrbitBlock}: its counters, then its packed hits as one run of bytes. The
 * SparkRunner codes each block several times per micro-batch (the multi-output cache, the
 * shuffle, the GroupByKey's state), so the hits are copied in bulk, never number by number.
 */
public final class OrbitBlockCoder extends CustomCoder<OrbitBlock> {
  private static final OrbitBlockCoder INSTANCE = new OrbitBlockCoder();

  public static OrbitBlockCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(OrbitBlock block, OutputStream out) throws IOException {
    VarInt.encode(block.rows, out);
    VarInt.encode(block.ancillary, out);
    VarInt.encode(block.malformed, out);
    VarInt.encode(block.firstMillis, out);
    VarInt.encode(block.lastMillis, out);
    VarInt.encode(block.size, out);
    ByteBuffer bytes = ByteBuffer.allocate(block.size * Long.BYTES);
    bytes.asLongBuffer().put(block.hits, 0, block.size);
    out.write(bytes.array());
  }

  @Override
  public OrbitBlock decode(InputStream in) throws IOException {
    OrbitBlock block = new OrbitBlock();
    block.rows = VarInt.decodeLong(in);
    block.ancillary = VarInt.decodeLong(in);
    block.malformed = VarInt.decodeLong(in);
    block.firstMillis = VarInt.decodeLong(in);
    block.lastMillis = VarInt.decodeLong(in);
    int size = VarInt.decodeInt(in);
    if (size < 0 || size > Integer.MAX_VALUE / Long.BYTES) {
      throw new CoderException("bad hit count " + size);
    }
    byte[] bytes = new byte[size * Long.BYTES];
    new DataInputStream(in).readFully(bytes);
    block.hits = new long[Math.max(size, 1)];
    ByteBuffer.wrap(bytes).asLongBuffer().get(block.hits, 0, size);
    block.size = size;
    return block;
  }
}
