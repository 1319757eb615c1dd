package org.quintet.protocol;

/** {@code id:u32 || pub[32]}: used for exactly one session, then deleted (section 3). */
public record OneTimePreKey(long id, byte[] publicKey) {
  public static final int LENGTH = 36;

  public static Pair generate(KeySource source, long id) {
    SignedPreKey.requireId(id);
    X25519KeyPair keyPair = source.newX25519();
    return new Pair(new OneTimePreKey(id, keyPair.publicKey()), keyPair);
  }

  public static OneTimePreKey parse(byte[] bytes) throws ProtocolException {
    if (bytes.length != LENGTH) {
      throw ProtocolException.malformed("one-time prekey of " + bytes.length + " bytes");
    }
    long id = Bytes.readU32(bytes, 0);
    if (id == 0) {
      throw ProtocolException.malformed("one-time prekey id 0");
    }
    return new OneTimePreKey(id, Bytes.slice(bytes, 4, 36));
  }

  public byte[] encode() {
    return Bytes.concat(Bytes.u32(id), publicKey);
  }

  public record Pair(OneTimePreKey record, X25519KeyPair keyPair) {}
}
