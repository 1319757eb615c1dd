package org.quintet.protocol;

/** A device's identity with its private keys. Drawn as Ed25519 first, then X25519. */
public record IdentityKeyPair(Ed25519KeyPair signing, X25519KeyPair agreement) {
  public static IdentityKeyPair generate(KeySource source) {
    Ed25519KeyPair signing = source.newEd25519();
    X25519KeyPair agreement = source.newX25519();
    return new IdentityKeyPair(signing, agreement);
  }

  public IdentityKey publicKey() {
    return new IdentityKey(signing.publicKey(), agreement.publicKey());
  }

  public byte[] sign(byte[] message) {
    return signing.sign(message);
  }
}
