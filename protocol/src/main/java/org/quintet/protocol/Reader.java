package org.quintet.protocol;

/** A bounds-checked cursor over a received structure; running short is {@code MALFORMED}. */
final class Reader {
  private final byte[] bytes;
  private final String structure;
  private int offset;

  Reader(byte[] bytes, String structure) {
    this.bytes = bytes;
    this.structure = structure;
  }

  /** Checks the version and type bytes, in that order, then the size limit. */
  static Reader open(byte[] bytes, String structure, int type, int maxLength)
      throws ProtocolException {
    if (bytes.length < 1) {
      throw ProtocolException.malformed(structure + " is empty");
    }
    if (bytes[0] != Limits.VERSION) {
      throw new ProtocolException(
          ProtocolError.UNSUPPORTED_VERSION, structure + " version " + (bytes[0] & 0xFF));
    }
    Reader reader = new Reader(bytes, structure);
    reader.offset = 1;
    if (type >= 0) {
      int actual = reader.u8();
      if (actual != type) {
        throw ProtocolException.malformed(structure + " has type " + actual + ", expected " + type);
      }
    }
    if (bytes.length > maxLength) {
      throw new ProtocolException(ProtocolError.TOO_LARGE, structure + " of " + bytes.length + " bytes");
    }
    return reader;
  }

  byte[] take(int length) throws ProtocolException {
    need(length);
    byte[] out = Bytes.slice(bytes, offset, offset + length);
    offset += length;
    return out;
  }

  int u8() throws ProtocolException {
    need(1);
    return bytes[offset++] & 0xFF;
  }

  long u32() throws ProtocolException {
    need(4);
    long value = Bytes.readU32(bytes, offset);
    offset += 4;
    return value;
  }

  /** A u64 field; values are below 2^53 so that JavaScript numbers hold them exactly. */
  long u64() throws ProtocolException {
    need(8);
    long value = Bytes.readU64(bytes, offset);
    if (value < 0 || value > Limits.MAX_U64) {
      throw ProtocolException.malformed(structure + " has a u64 field above 2^53-1");
    }
    offset += 8;
    return value;
  }

  byte[] rest() {
    byte[] out = Bytes.slice(bytes, offset, bytes.length);
    offset = bytes.length;
    return out;
  }

  int remaining() {
    return bytes.length - offset;
  }

  int offset() {
    return offset;
  }

  void end() throws ProtocolException {
    if (offset != bytes.length) {
      throw ProtocolException.malformed(structure + " has " + remaining() + " trailing bytes");
    }
  }

  private void need(int length) throws ProtocolException {
    if (bytes.length - offset < length) {
      throw ProtocolException.malformed(structure + " is truncated");
    }
  }
}
