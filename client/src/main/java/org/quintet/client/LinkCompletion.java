package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.quintet.protocol.DeviceCert;

/**
 * The primary's last steps of either way of linking, once it holds the companion's certificate,
 * checked and counter-signed: sign it into the device list, then send the companion the history.
 */
final class LinkCompletion {
  private final DeviceListSigner signer;
  private final HistorySender history;

  LinkCompletion(DeviceListSigner signer, HistorySender history) {
    this.signer = signer;
    this.history = history;
  }

  Future<LinkedDevice> complete(DeviceCert cert, LinkOptions options) {
    long deviceId = cert.deviceId();
    return signer.add(cert).compose(account -> history.send(deviceId, options.historyDays())
        .map(sent -> new LinkedDevice(deviceId, name(account.answer(), deviceId),
            account.account().list().listVersion(), sent.texts(), sent.parts())));
  }

  /** The name the companion gave itself, as the relay lists it. */
  private static String name(JsonObject answer, long deviceId) {
    JsonArray devices = answer.getJsonArray("devices", new JsonArray());
    for (int i = 0; i < devices.size(); i++) {
      JsonObject device = devices.getJsonObject(i);
      if (device.getLong("deviceId", 0L) == deviceId) {
        return device.getString("name", "");
      }
    }
    return "";
  }
}
