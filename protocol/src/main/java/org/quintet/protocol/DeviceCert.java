package org.quintet.protocol;

import java.util.Arrays;

/**
 * The primary's statement that a device belongs to the account, counter-signed by the device
 * (docs/protocol.md section 6.1). 237 bytes.
 */
public final class DeviceCert {
  public static final int LENGTH = 237;
  public static final int BODY_LENGTH = 109;
  public static final long PRIMARY_DEVICE_ID = 1;
  static final int DEVICE_ID_OFFSET = 33;

  private final byte[] encoded;

  private DeviceCert(byte[] encoded) {
    this.encoded = encoded;
  }

  /** The account's half: the device signature is left zero until {@link #counterSign}. */
  public static DeviceCert issue(IdentityKeyPair account, long deviceId, IdentityKey device, long issuedAt) {
    SignedPreKey.requireId(deviceId);
    if (issuedAt < 0 || issuedAt > Limits.MAX_U64) {
      throw new IllegalArgumentException("issuedAt is 0..2^53-1");
    }
    byte[] body = Bytes.concat(new byte[] {Limits.VERSION}, account.signing().publicKey(),
        Bytes.u32(deviceId), device.encode(), Bytes.u64(issuedAt));
    byte[] accountSignature = account.sign(Bytes.concat(Bytes.context("device-cert account"), body));
    return new DeviceCert(Bytes.concat(body, accountSignature, new byte[Crypto.SIGNATURE_LENGTH]));
  }

  /** The device's half, made by the device itself once it has checked the account's. */
  public DeviceCert counterSign(IdentityKeyPair device) {
    if (!Arrays.equals(device.publicKey().encode(), identity().encode())) {
      throw new IllegalArgumentException("a device counter-signs only its own certificate");
    }
    byte[] signature = device.sign(Bytes.concat(Bytes.context("device-cert device"), body()));
    return new DeviceCert(Bytes.concat(Bytes.slice(encoded, 0, BODY_LENGTH + 64), signature));
  }

  public static DeviceCert parse(byte[] bytes) throws ProtocolException {
    Reader.open(bytes, "device certificate", -1, Integer.MAX_VALUE);
    if (bytes.length != LENGTH) {
      throw ProtocolException.malformed("device certificate of " + bytes.length + " bytes");
    }
    if (Bytes.readU32(bytes, DEVICE_ID_OFFSET) == 0) {
      throw ProtocolException.malformed("device id 0");
    }
    long issuedAt = Bytes.readU64(bytes, 101);
    if (issuedAt < 0 || issuedAt > Limits.MAX_U64) {
      throw ProtocolException.malformed("device certificate time above 2^53-1");
    }
    return new DeviceCert(bytes.clone());
  }

  public byte[] accountKey() {
    return Bytes.slice(encoded, 1, 33);
  }

  public long deviceId() {
    return Bytes.readU32(encoded, DEVICE_ID_OFFSET);
  }

  public IdentityKey identity() {
    return new IdentityKey(Bytes.slice(encoded, 37, 69), Bytes.slice(encoded, 69, 101));
  }

  public long issuedAt() {
    return Bytes.readU64(encoded, 101);
  }

  public byte[] encode() {
    return encoded.clone();
  }

  /** True when the account signed it and the device signed it (the issuer checks the former). */
  public boolean isAccountSigned() {
    return Crypto.verify(accountKey(), Bytes.concat(Bytes.context("device-cert account"), body()),
        Bytes.slice(encoded, BODY_LENGTH, BODY_LENGTH + 64));
  }

  /** Section 6.1: valid for this account, both signatures, and a role that fits the id. */
  public void verify(byte[] accountKey) throws ProtocolException {
    IdentityKey identity = identity();
    boolean deviceSigned = identity.verify(Bytes.concat(Bytes.context("device-cert device"), body()),
        Bytes.slice(encoded, BODY_LENGTH + 64, LENGTH));
    boolean isPrimaryKey = Arrays.equals(identity.signKey(), accountKey);
    boolean roleFits = (deviceId() == PRIMARY_DEVICE_ID) == isPrimaryKey;
    if (!Arrays.equals(accountKey(), accountKey) || !isAccountSigned() || !deviceSigned || !roleFits) {
      throw new ProtocolException(ProtocolError.UNTRUSTED_DEVICE, "device " + deviceId());
    }
  }

  private byte[] body() {
    return Bytes.slice(encoded, 0, BODY_LENGTH);
  }
}
