package org.quintet.protocol.vectors;

import org.quintet.protocol.Bytes;
import org.quintet.protocol.Crypto;
import org.quintet.protocol.TestKeySource;

/** Fixed, named seeds: SHA-256 of {@code "quintet vector seed " + name}. */
final class Seeds {
  private Seeds() {}

  static byte[] seed(String name) {
    return Crypto.sha256(Bytes.ascii("quintet vector seed " + name));
  }

  static TestKeySource source(byte[] seed) {
    return new TestKeySource(seed);
  }

  static byte[] flip(byte[] bytes, int index, int mask) {
    byte[] out = bytes.clone();
    out[index] ^= (byte) mask;
    return out;
  }

  static byte[] withByte(byte[] bytes, int index, int value) {
    byte[] out = bytes.clone();
    out[index] = (byte) value;
    return out;
  }

  static byte[] truncate(byte[] bytes, int length) {
    return Bytes.slice(bytes, 0, length);
  }
}
