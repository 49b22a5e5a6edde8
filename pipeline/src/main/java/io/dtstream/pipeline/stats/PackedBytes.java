package io.dtstream.pipeline.stats;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.util.VarInt;

/**
 * Variable-length numbers packed in a byte array, written to and read from a stream in one piece
 * (length, then bytes). Coding number by number through a stream costs a call, often synchronized,
 * per byte; the runner codes the pipeline's accumulators several times per micro-batch.
 */
final class PackedBytes {
  private PackedBytes() {}

  /** Collects numbers, then writes them with their length. */
  static final class Writer {
    private byte[] bytes = new byte[256];
    private int size;

    /** Unsigned LEB128, as Beam's {@link VarInt}: small non-negative numbers take few bytes. */
    void putLong(long value) {
      if (bytes.length - size < 10) {
        bytes = Arrays.copyOf(bytes, bytes.length * 2);
      }
      while ((value & ~0x7FL) != 0) {
        bytes[size++] = (byte) ((value & 0x7F) | 0x80);
        value >>>= 7;
      }
      bytes[size++] = (byte) value;
    }

    void writeTo(OutputStream out) throws IOException {
      VarInt.encode(size, out);
      out.write(bytes, 0, size);
    }
  }

  /** Reads what a {@link Writer} wrote. */
  static final class Reader {
    private final byte[] bytes;
    private int position;

    private Reader(byte[] bytes) {
      this.bytes = bytes;
    }

    static Reader readFrom(InputStream in) throws IOException {
      int size = VarInt.decodeInt(in);
      byte[] bytes = in.readNBytes(size);
      if (size < 0 || bytes.length != size) {
        throw new CoderException("expected " + size + " bytes, got " + bytes.length);
      }
      return new Reader(bytes);
    }

    long getLong() throws CoderException {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (position >= bytes.length) {
          throw new CoderException("packed number runs past the end");
        }
        byte b = bytes[position++];
        value |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new CoderException("packed number longer than 64 bits");
    }

    int getInt() throws CoderException {
      long value = getLong();
      if (value != (int) value) {
        throw new CoderException("packed number " + value + " is not an int");
      }
      return (int) value;
    }

    /** Every byte read: a coder that leaves some behind has misread. */
    void expectEnd() throws CoderException {
      if (position != bytes.length) {
        throw new CoderException((bytes.length - position) + " bytes left unread");
      }
    }
  }
}
