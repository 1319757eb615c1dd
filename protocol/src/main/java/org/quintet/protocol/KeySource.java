package org.quintet.protocol;

/**
 * Where new keys and random bytes come from. Production code uses {@link #secure()}; the test
 * vectors use {@link TestKeySource}, so the protocol names the exact points at which it draws.
 */
public interface KeySource {
  byte[] bytes(int length);

  default X25519KeyPair newX25519() {
    return X25519KeyPair.fromPrivate(bytes(Crypto.KEY_LENGTH));
  }

  default Ed25519KeyPair newEd25519() {
    return Ed25519KeyPair.fromSeed(bytes(Crypto.KEY_LENGTH));
  }

  static KeySource secure() {
    return SecureKeySource.INSTANCE;
  }
}
