package org.quintet.client;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.MemoryPreKeyStore;
import org.quintet.protocol.OneTimePreKey;
import org.quintet.protocol.PreKeyBundle;
import org.quintet.protocol.SignedPreKey;

/**
 * An account made in memory, without a relay: device identities with prekeys, signed device
 * lists, and the answers an honest relay would give about it.
 */
final class TestAccount {
  final String number;
  final Map<Long, IdentityKeyPair> devices = new HashMap<>();
  final Map<Long, MemoryPreKeyStore> preKeys = new HashMap<>();
  private final Map<Long, SignedPreKey.Pair> signedPreKeys = new HashMap<>();

  TestAccount(String number, int deviceCount) {
    this.number = number;
    for (long id = 1; id <= deviceCount; id++) {
      IdentityKeyPair identity = IdentityKeyPair.generate(KeySource.secure());
      SignedPreKey.Pair signed = SignedPreKey.generate(KeySource.secure(), identity, 1);
      devices.put(id, identity);
      signedPreKeys.put(id, signed);
      preKeys.put(id, new MemoryPreKeyStore().addSignedPreKey(1, signed.keyPair()));
    }
  }

  IdentityKeyPair primary() {
    return devices.get(1L);
  }

  byte[] accountKey() {
    return primary().signing().publicKey();
  }

  static int registrationId(long deviceId) {
    return 1000 + (int) deviceId;
  }

  /** A list of the given devices, signed by the primary. */
  byte[] list(long version, long... ids) {
    List<DeviceCert> certs = new ArrayList<>();
    for (long id : ids) {
      certs.add(DeviceCert.issue(primary(), id, devices.get(id).publicKey(), 1000).counterSign(devices.get(id)));
    }
    return DeviceList.sign(primary(), version, 1000, certs);
  }

  /** {@code GET /v1/accounts/{number}} as an honest relay answers it. */
  JsonObject accountAnswer(byte[] list, long... ids) {
    JsonArray entries = new JsonArray();
    for (long id : ids) {
      entries.add(new JsonObject().put("deviceId", id).put("registrationId", registrationId(id))
          .put("identityKey", b64(devices.get(id).publicKey().encode()))
          .put("name", "device " + id).put("platform", "test").put("createdAt", 1).put("lastSeenAt", 2));
    }
    return new JsonObject().put("number", number).put("accountKey", b64(accountKey())).put("deviceList", b64(list))
        .put("deviceListVersion", version(list)).put("devices", entries);
  }

  /** {@code GET /v1/keys/{number}/{id}} with the bundle of {@code bundleOwner} presented as device {@code id}. */
  JsonObject keysAnswer(byte[] list, long id, TestAccount bundleOwner, long ownerDevice) {
    IdentityKeyPair owner = bundleOwner.devices.get(ownerDevice);
    OneTimePreKey.Pair oneTime = OneTimePreKey.generate(KeySource.secure(), 1);
    bundleOwner.preKeys.get(ownerDevice).addOneTimePreKey(1, oneTime.keyPair());
    PreKeyBundle bundle = new PreKeyBundle(owner.publicKey(), bundleOwner.signedPreKeys.get(ownerDevice).record(),
        Optional.of(oneTime.record()));
    return new JsonObject().put("accountKey", b64(accountKey())).put("deviceList", b64(list))
        .put("deviceListVersion", version(list))
        .put("devices", new JsonArray().add(new JsonObject().put("deviceId", id)
            .put("registrationId", registrationId(id)).put("bundle", b64(bundle.encode()))));
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** The version field of a signed list (after the version byte and the account key). */
  static long version(byte[] list) {
    return Bytes.readU64(list, 33);
  }
}
