package org.quintet.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The account's versioned list of devices, signed by the primary (docs/protocol.md section 6.2).
 * Only {@link #verify} makes instances, so holding one means it verified.
 */
public final class DeviceList {
  private static final int HEADER_LENGTH = 50;

  private final byte[] accountKey;
  private final long listVersion;
  private final long timestamp;
  private final List<Device> devices;
  private final List<DeviceCert> certs;
  private final byte[] encoded;

  private DeviceList(byte[] accountKey, long listVersion, long timestamp, List<Device> devices,
      List<DeviceCert> certs, byte[] encoded) {
    this.accountKey = accountKey;
    this.listVersion = listVersion;
    this.timestamp = timestamp;
    this.devices = List.copyOf(devices);
    this.certs = List.copyOf(certs);
    this.encoded = encoded;
  }

  /** One device of a verified list. */
  public record Device(long id, IdentityKey identity, long issuedAt) {}

  /** Signs a list; certificates must be counter-signed and in increasing device id order. */
  public static byte[] sign(IdentityKeyPair account, long listVersion, long timestamp, List<DeviceCert> certs) {
    if (certs.isEmpty() || certs.size() > Limits.MAX_LIST_DEVICES || listVersion < 1
        || listVersion > Limits.MAX_U64 || timestamp < 0 || timestamp > Limits.MAX_U64) {
      throw new IllegalArgumentException("a list holds 1.." + Limits.MAX_LIST_DEVICES
          + " devices, version 1..2^53-1, timestamp 0..2^53-1");
    }
    List<byte[]> parts = new ArrayList<>();
    parts.add(new byte[] {Limits.VERSION});
    parts.add(account.signing().publicKey());
    parts.add(Bytes.u64(listVersion));
    parts.add(Bytes.u64(timestamp));
    parts.add(new byte[] {(byte) certs.size()});
    certs.forEach(cert -> parts.add(cert.encode()));
    byte[] body = Bytes.concat(parts.toArray(new byte[0][]));
    return Bytes.concat(body, account.sign(Bytes.concat(Bytes.context("device-list"), body)));
  }

  public static DeviceList verify(byte[] bytes) throws ProtocolException {
    return verify(bytes, null, null);
  }

  /**
   * Section 6.3, checks in order. {@code expectedAccountKey} and {@code lastAccepted} (the bytes
   * of the last list accepted for this account) may be null.
   */
  public static DeviceList verify(byte[] bytes, byte[] expectedAccountKey, byte[] lastAccepted)
      throws ProtocolException {
    Reader reader = Reader.open(bytes, "device list", -1, Integer.MAX_VALUE);
    byte[] accountKey = reader.take(32);
    long listVersion = reader.u64();
    long timestamp = reader.u64();
    int count = reader.u8();
    if (count < 1 || count > Limits.MAX_LIST_DEVICES) {
      throw ProtocolException.malformed("device list of " + count + " devices");
    }
    if (bytes.length != HEADER_LENGTH + DeviceCert.LENGTH * count + Crypto.SIGNATURE_LENGTH) {
      throw ProtocolException.malformed("device list length " + bytes.length + " for " + count + " devices");
    }
    if (listVersion < 1) {
      throw ProtocolException.malformed("device list version 0");
    }
    List<DeviceCert> certs = new ArrayList<>(count);
    long previousId = 0;
    for (int i = 0; i < count; i++) {
      DeviceCert cert = DeviceCert.parse(reader.take(DeviceCert.LENGTH));
      if (cert.deviceId() <= previousId) {
        throw ProtocolException.malformed("device ids are not strictly increasing");
      }
      previousId = cert.deviceId();
      certs.add(cert);
    }
    if (certs.get(0).deviceId() != DeviceCert.PRIMARY_DEVICE_ID) {
      throw new ProtocolException(ProtocolError.NO_PRIMARY, "first device is " + certs.get(0).deviceId());
    }
    int signedLength = reader.offset();
    byte[] signature = reader.take(Crypto.SIGNATURE_LENGTH);
    reader.end();

    byte[] expected = expectedAccountKey != null || lastAccepted == null ? expectedAccountKey
        : Bytes.slice(lastAccepted, 1, 33);
    if (expected != null && !Arrays.equals(expected, accountKey)) {
      throw new ProtocolException(ProtocolError.ACCOUNT_MISMATCH, "device list of another account");
    }
    if (Bytes.isZero(signature)) {
      throw new ProtocolException(ProtocolError.UNSIGNED, "device list is not signed");
    }
    byte[] signed = Bytes.concat(Bytes.context("device-list"), Bytes.slice(bytes, 0, signedLength));
    if (!Crypto.verify(accountKey, signed, signature)) {
      throw new ProtocolException(ProtocolError.BAD_SIGNATURE, "device list signature");
    }
    List<Device> devices = new ArrayList<>(count);
    for (DeviceCert cert : certs) {
      cert.verify(accountKey);
      devices.add(new Device(cert.deviceId(), cert.identity(), cert.issuedAt()));
    }
    if (lastAccepted != null) {
      long lastVersion = Bytes.readU64(lastAccepted, 33);
      if (listVersion < lastVersion) {
        throw new ProtocolException(ProtocolError.STALE_LIST,
            "device list version " + listVersion + " is older than " + lastVersion);
      }
      if (listVersion == lastVersion && !Arrays.equals(bytes, lastAccepted)) {
        throw new ProtocolException(ProtocolError.CONFLICTING_LIST,
            "two different device lists with version " + listVersion);
      }
    }
    return new DeviceList(accountKey, listVersion, timestamp, devices, certs, bytes.clone());
  }

  /**
   * The device ids of a list that was verified before (a relay reads the stored list on every
   * send): the ids are read where the format puts them, and no signature is checked again.
   */
  public static Set<Long> deviceIdsOf(byte[] verifiedList) {
    int count = verifiedList[HEADER_LENGTH - 1] & 0xFF;
    Set<Long> ids = new LinkedHashSet<>();
    for (int i = 0; i < count; i++) {
      ids.add(Bytes.readU32(verifiedList, HEADER_LENGTH + DeviceCert.LENGTH * i + DeviceCert.DEVICE_ID_OFFSET));
    }
    return ids;
  }

  public byte[] accountKey() {
    return accountKey.clone();
  }

  public long listVersion() {
    return listVersion;
  }

  public long timestamp() {
    return timestamp;
  }

  public List<Device> devices() {
    return devices;
  }

  /** The certificates, in device id order: what the primary signs again into the next version. */
  public List<DeviceCert> certs() {
    return certs;
  }

  public byte[] encode() {
    return encoded.clone();
  }
}
