package org.quintet.protocol;

/** {@code id:u32 || pub[32] || sig[64]}, signed by the device's identity (section 3). */
public record SignedPreKey(long id, byte[] publicKey, byte[] signature) {
  public static final int LENGTH = 100;

  /** Draws the key pair and signs its public half. */
  public static Pair generate(KeySource source, IdentityKeyPair identity, long id) {
    requireId(id);
    X25519KeyPair keyPair = source.newX25519();
    byte[] signature = identity.sign(signedBytes(id, keyPair.publicKey()));
    return new Pair(new SignedPreKey(id, keyPair.publicKey(), signature), keyPair);
  }

  public static SignedPreKey parse(byte[] bytes) throws ProtocolException {
    if (bytes.length != LENGTH) {
      throw ProtocolException.malformed("signed prekey of " + bytes.length + " bytes");
    }
    long id = Bytes.readU32(bytes, 0);
    if (id == 0) {
      throw ProtocolException.malformed("signed prekey id 0");
    }
    return new SignedPreKey(id, Bytes.slice(bytes, 4, 36), Bytes.slice(bytes, 36, 100));
  }

  public byte[] encode() {
    return Bytes.concat(Bytes.u32(id), publicKey, signature);
  }

  public void verify(IdentityKey owner) throws ProtocolException {
    if (!owner.verify(signedBytes(id, publicKey), signature)) {
      throw new ProtocolException(ProtocolError.BAD_SIGNATURE, "signed prekey " + id);
    }
  }

  private static byte[] signedBytes(long id, byte[] publicKey) {
    return Bytes.concat(Bytes.context("signed-prekey"), Bytes.u32(id), publicKey);
  }

  static void requireId(long id) {
    if (id < 1 || id > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("prekey ids are 1..2^32-1");
    }
  }

  /** The public record with its private key, as the owning device keeps it. */
  public record Pair(SignedPreKey record, X25519KeyPair keyPair) {}
}
