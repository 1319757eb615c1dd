package org.quintet.protocol;

import java.util.Arrays;

/** A device's public identity: {@code signKey[32] || dhKey[32]} (docs/protocol.md section 2). */
public final class IdentityKey {
  public static final int LENGTH = 64;
  private final byte[] signKey;
  private final byte[] dhKey;

  public IdentityKey(byte[] signKey, byte[] dhKey) {
    if (signKey.length != Crypto.KEY_LENGTH || dhKey.length != Crypto.KEY_LENGTH) {
      throw new IllegalArgumentException("identity keys are 32 bytes each");
    }
    this.signKey = signKey.clone();
    this.dhKey = dhKey.clone();
  }

  public static IdentityKey parse(byte[] bytes) throws ProtocolException {
    if (bytes.length != LENGTH) {
      throw ProtocolException.malformed("identity key of " + bytes.length + " bytes");
    }
    return new IdentityKey(Bytes.slice(bytes, 0, 32), Bytes.slice(bytes, 32, 64));
  }

  public byte[] signKey() {
    return signKey.clone();
  }

  public byte[] dhKey() {
    return dhKey.clone();
  }

  public byte[] encode() {
    return Bytes.concat(signKey, dhKey);
  }

  public boolean verify(byte[] message, byte[] signature) {
    return Crypto.verify(signKey, message, signature);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IdentityKey that
        && Arrays.equals(signKey, that.signKey)
        && Arrays.equals(dhKey, that.dhKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(signKey) * 31 + Arrays.hashCode(dhKey);
  }

  @Override
  public String toString() {
    return "IdentityKey[" + Bytes.hex(signKey).substring(0, 16) + "]";
  }
}
