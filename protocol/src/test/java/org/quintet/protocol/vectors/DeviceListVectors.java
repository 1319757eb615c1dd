package org.quintet.protocol.vectors;

import static org.quintet.protocol.vectors.Json.obj;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.ProtocolException;

/** devicelist.json: certificates, signed lists, and every way verification refuses a list. */
final class DeviceListVectors {
  private static final long T0 = 1_790_000_000_000L;
  private final IdentityKeyPair account = identity("devicelist account");
  private final IdentityKeyPair otherAccount = identity("devicelist other account");
  private final Map<Long, IdentityKeyPair> identities = new LinkedHashMap<>();
  private final Map<Long, DeviceCert> certs = new LinkedHashMap<>();
  private final List<Object> verify = new ArrayList<>();

  static Map<String, Object> generate() throws ProtocolException {
    return new DeviceListVectors().build();
  }

  private Map<String, Object> build() throws ProtocolException {
    List<Object> devices = new ArrayList<>();
    for (long id = 1; id <= 5; id++) {
      String seedName = id == 1 ? "devicelist account" : "devicelist device " + id;
      IdentityKeyPair device = id == 1 ? account : identity(seedName);
      long issuedAt = T0 + id * 60_000;
      DeviceCert cert = DeviceCert.issue(account, id, device.publicKey(), issuedAt).counterSign(device);
      identities.put(id, device);
      certs.put(id, cert);
      devices.add(obj("deviceId", id, "seed", Seeds.seed(seedName), "issuedAt", issuedAt, "cert", cert.encode()));
    }
    byte[] v1 = list(1, 1);
    byte[] v2 = list(2, 1, 2);
    byte[] v3 = list(3, 1, 2, 3);
    byte[] v4 = list(4, 1, 2, 3, 4);
    byte[] v5 = list(5, 1, 2, 3, 5);
    List<Object> lists = new ArrayList<>();
    lists.add(listEntry("primary alone", 1, new long[] {1}, v1));
    lists.add(listEntry("one companion", 2, new long[] {1, 2}, v2));
    lists.add(listEntry("two companions", 3, new long[] {1, 2, 3}, v3));
    lists.add(listEntry("three companions", 4, new long[] {1, 2, 3, 4}, v4));
    lists.add(listEntry("device 4 removed, device 5 linked", 5, new long[] {1, 2, 3, 5}, v5));

    byte[] accountKey = account.signing().publicKey();
    check("first list", v1, accountKey, null);
    check("newer list", v5, accountKey, v4);
    check("the same list again", v5, accountKey, v5);
    check("no expectations", v3, null, null);
    check("older list", v3, accountKey, v5);
    check("same version, other content", signed(account, 5, timestamp(5) + 1, certBytes(1, 2, 3, 5), 4), accountKey, v5);
    check("expected another account", v2, otherAccount.signing().publicKey(), null);
    check("another account's newer list after this account's",
        signed(otherAccount, 9, timestamp(9), otherPrimaryCert(), 1), null, v5);
    check("unsigned", zeroSignature(v2), accountKey, null);
    check("flipped signature", Seeds.flip(v2, v2.length - 10, 0x01), accountKey, null);
    check("changed timestamp", Seeds.flip(v2, 48, 0x01), accountKey, null);
    check("changed version", Seeds.flip(v2, 40, 0x04), accountKey, null);
    check("signed by another account",
        signed(otherAccount, accountKey, 2, timestamp(2), certBytes(1, 2), 2), accountKey, null);
    byte[] foreignCert = DeviceCert.issue(otherAccount, 2, identities.get(2L).publicKey(), T0)
        .counterSign(identities.get(2L)).encode();
    check("certificate of another account",
        signed(account, 2, timestamp(2), Bytes.concat(certs.get(1L).encode(), foreignCert), 2), accountKey, null);
    byte[] uncountersigned = DeviceCert.issue(account, 2, identities.get(2L).publicKey(), T0).encode();
    check("certificate without the device's signature",
        signed(account, 2, timestamp(2), Bytes.concat(certs.get(1L).encode(), uncountersigned), 2), accountKey, null);
    byte[] badAccountSig = Seeds.flip(certs.get(2L).encode(), 120, 0x01);
    check("certificate with a flipped account signature",
        signed(account, 2, timestamp(2), Bytes.concat(certs.get(1L).encode(), badAccountSig), 2), accountKey, null);
    byte[] companionAsPrimary = DeviceCert.issue(account, 1, identities.get(2L).publicKey(), T0)
        .counterSign(identities.get(2L)).encode();
    check("a companion as device 1",
        signed(account, 2, timestamp(2), companionAsPrimary, 1), accountKey, null);
    byte[] primaryAsCompanion = DeviceCert.issue(account, 2, account.publicKey(), T0).counterSign(account).encode();
    check("the primary's key as device 2",
        signed(account, 2, timestamp(2), Bytes.concat(certs.get(1L).encode(), primaryAsCompanion), 2), accountKey, null);
    check("no primary", signed(account, 2, timestamp(2), certBytes(2, 3), 2), accountKey, null);
    check("duplicate device", signed(account, 2, timestamp(2), certBytes(1, 2, 2), 3), accountKey, null);
    check("devices out of order", signed(account, 2, timestamp(2), certBytes(1, 3, 2), 3), accountKey, null);
    check("count says more than there are", signed(account, 2, timestamp(2), certBytes(1, 2), 3), accountKey, null);
    check("count zero", signed(account, 2, timestamp(2), new byte[0], 0), accountKey, null);
    check("list version zero", signed(account, 0, timestamp(2), certBytes(1), 1), accountKey, null);
    check("list version above 2^53-1", signed(account, 1L << 53, timestamp(2), certBytes(1), 1), accountKey, null);
    check("unsupported version", Seeds.withByte(v2, 0, 2), accountKey, null);
    check("unsupported certificate version", signed(account, 2, timestamp(2),
        Bytes.concat(certs.get(1L).encode(), Seeds.withByte(certs.get(2L).encode(), 0, 2)), 2), accountKey, null);
    check("truncated", Seeds.truncate(v2, v2.length - 1), accountKey, null);
    check("trailing byte", Bytes.concat(v2, new byte[1]), accountKey, null);
    return obj("description", "device certificates and signed device lists; see README.md",
        "account", obj("seed", Seeds.seed("devicelist account")),
        "devices", devices, "lists", lists, "verify", verify);
  }

  private byte[] otherPrimaryCert() {
    return DeviceCert.issue(otherAccount, 1, otherAccount.publicKey(), T0).counterSign(otherAccount).encode();
  }

  private static IdentityKeyPair identity(String seedName) {
    return IdentityKeyPair.generate(Seeds.source(Seeds.seed(seedName)));
  }

  private static long timestamp(long version) {
    return T0 + version * 3_600_000;
  }

  private byte[] list(long version, long... ids) {
    List<DeviceCert> chosen = new ArrayList<>();
    for (long id : ids) {
      chosen.add(certs.get(id));
    }
    return DeviceList.sign(account, version, timestamp(version), chosen);
  }

  private static Map<String, Object> listEntry(String name, long version, long[] ids, byte[] list) {
    List<Long> idList = new ArrayList<>();
    for (long id : ids) {
      idList.add(id);
    }
    return obj("name", name, "listVersion", version, "timestamp", timestamp(version), "deviceIds", idList, "list", list);
  }

  private byte[] certBytes(long... ids) {
    List<byte[]> parts = new ArrayList<>();
    for (long id : ids) {
      parts.add(certs.get(id).encode());
    }
    return Bytes.concat(parts.toArray(new byte[0][]));
  }

  /** A list signed over whatever it is given, so malformed lists carry a valid signature. */
  private static byte[] signed(IdentityKeyPair signer, long version, long timestamp, byte[] certs, int count) {
    return signed(signer, signer.signing().publicKey(), version, timestamp, certs, count);
  }

  private static byte[] signed(IdentityKeyPair signer, byte[] claimedAccount, long version, long timestamp,
      byte[] certs, int count) {
    byte[] body = Bytes.concat(new byte[] {1}, claimedAccount, Bytes.u64(version), Bytes.u64(timestamp),
        new byte[] {(byte) count}, certs);
    return Bytes.concat(body, signer.sign(Bytes.concat(Bytes.context("device-list"), body)));
  }

  private static byte[] zeroSignature(byte[] list) {
    byte[] out = list.clone();
    java.util.Arrays.fill(out, out.length - 64, out.length, (byte) 0);
    return out;
  }

  private void check(String name, byte[] list, byte[] expectedAccount, byte[] lastAccepted) {
    Map<String, Object> entry = obj("name", name, "list", list,
        "expectedAccountKey", expectedAccount, "lastAccepted", lastAccepted);
    try {
      DeviceList verified = DeviceList.verify(list, expectedAccount, lastAccepted);
      List<Object> devices = new ArrayList<>();
      for (DeviceList.Device device : verified.devices()) {
        devices.add(obj("id", device.id(), "identity", device.identity().encode(), "issuedAt", device.issuedAt()));
      }
      entry.put("result", obj("accountKey", verified.accountKey(), "listVersion", verified.listVersion(),
          "timestamp", verified.timestamp(), "devices", devices));
    } catch (ProtocolException e) {
      entry.put("error", e.error().name());
    }
    verify.add(entry);
  }
}
