package org.quintet.protocol;

/**
 * {@code 0x01 || 0x01 || ratchetKey[32] || pn:u32 || n:u32 || ct} (section 5.2). The first
 * {@value #HEADER_LENGTH} bytes are authenticated with the ciphertext.
 */
public record RatchetMessage(byte[] ratchetKey, long previousCounter, long counter, byte[] ciphertext) {
  public static final int HEADER_LENGTH = 42;
  public static final int MIN_LENGTH = HEADER_LENGTH + Crypto.GCM_TAG_LENGTH;

  public static RatchetMessage parse(byte[] bytes) throws ProtocolException {
    Reader reader = Reader.open(bytes, "ratchet message", MessageType.RATCHET, Limits.MAX_CONTENT);
    if (bytes.length < MIN_LENGTH) {
      throw ProtocolException.malformed("ratchet message is truncated");
    }
    return new RatchetMessage(reader.take(32), reader.u32(), reader.u32(), reader.rest());
  }

  static byte[] header(byte[] ratchetKey, long previousCounter, long counter) {
    return Bytes.concat(
        new byte[] {Limits.VERSION, MessageType.RATCHET},
        ratchetKey, Bytes.u32(previousCounter), Bytes.u32(counter));
  }

  public byte[] header() {
    return header(ratchetKey, previousCounter, counter);
  }

  public byte[] encode() {
    return Bytes.concat(header(), ciphertext);
  }
}
