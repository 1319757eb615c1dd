package org.quintet.protocol;

/** An Ed25519 key pair; the private key is the 32-byte seed of RFC 8032. */
public record Ed25519KeyPair(byte[] seed, byte[] publicKey) {
  public static Ed25519KeyPair fromSeed(byte[] seed) {
    return new Ed25519KeyPair(seed.clone(), Crypto.ed25519PublicKey(seed));
  }

  public byte[] sign(byte[] message) {
    return Crypto.sign(seed, publicKey, message);
  }
}
