package org.quintet.protocol;

/** An X25519 key pair; the private key is the 32-byte scalar, clamped when used. */
public record X25519KeyPair(byte[] privateKey, byte[] publicKey) {
  public static X25519KeyPair fromPrivate(byte[] privateKey) {
    return new X25519KeyPair(privateKey.clone(), Crypto.x25519PublicKey(privateKey));
  }

  public byte[] agree(byte[] theirPublic) throws ProtocolException {
    return Crypto.x25519(privateKey, theirPublic);
  }
}
