package org.quintet.relay;

import static org.quintet.relay.TestRelay.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import org.quintet.relay.storage.Account;
import org.quintet.relay.storage.Device;
import org.quintet.relay.storage.PendingVerification;
import org.quintet.relay.storage.RelayStorage;
import org.quintet.relay.storage.StoredEnvelope;

/**
 * Everything the relay keeps about some numbers, read from its storage, so a test can show that a
 * refused request changed nothing. A device's {@code lastSeenAt} is left out: any authenticated
 * request may move it.
 */
final class RelayState {
  /** Queues of device ids up to this are read, whether or not the device exists. */
  private static final int MAX_DEVICE_ID = 12;

  private RelayState() {}

  static JsonObject of(TestRelay relay, String... numbers) throws Exception {
    RelayStorage storage = relay.storage;
    JsonObject state = new JsonObject();
    for (String number : numbers) {
      JsonObject entry = new JsonObject();
      Optional<Account> account = await(storage.account(number));
      account.ifPresent(a -> entry.put("account", new JsonObject().put("key", TestDevice.b64(a.accountKey()))
          .put("list", TestDevice.b64(a.deviceList())).put("version", a.deviceListVersion())
          .put("nextDeviceId", a.nextDeviceId()).put("registeredAt", a.registeredAt())));
      JsonArray devices = new JsonArray();
      for (Device d : await(storage.devices(number))) {
        devices.add(new JsonObject().put("id", d.deviceId()).put("registrationId", d.registrationId())
            .put("identity", TestDevice.b64(d.identityKey())).put("cert", TestDevice.b64(d.cert()))
            .put("name", d.name()).put("platform", d.platform()).put("createdAt", d.createdAt())
            .put("signedPreKey", await(storage.signedPreKey(number, d.deviceId())).map(TestDevice::b64).orElse(null))
            .put("oneTimePreKeys", await(storage.oneTimePreKeyCount(number, d.deviceId()))));
      }
      entry.put("devices", devices);
      JsonObject queues = new JsonObject();
      for (long id = 1; id <= MAX_DEVICE_ID; id++) {
        JsonArray queue = new JsonArray();
        for (StoredEnvelope e : await(storage.peek(number, id, 0, Integer.MAX_VALUE))) {
          queue.add(e.seq() + ":" + TestDevice.b64(e.envelope()) + ":" + e.expiresAt());
        }
        if (!queue.isEmpty()) {
          queues.put(Long.toString(id), queue);
        }
      }
      entry.put("queues", queues);
      Optional<PendingVerification> pending = await(storage.pendingVerification(number));
      pending.ifPresent(p -> entry.put("pending", new JsonObject().put("hash", TestDevice.b64(p.codeHash()))
          .put("salt", TestDevice.b64(p.salt())).put("expiresAt", p.expiresAt())
          .put("failedAttempts", p.failedAttempts()).put("lastSentAt", p.lastSentAt())));
      state.put(number, entry);
    }
    return state;
  }
}
