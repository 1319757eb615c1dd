package org.quintet.relay.delivery;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Optional;

/**
 * What one node tells the nodes that hold an account's delivery connections, on the account's
 * channel: the doorbell (a queue grew), an online envelope (the envelope itself, for the device's
 * connection only: it is in no queue), an event for one or all devices, a disconnect, or a new
 * connection's claim. {@code deviceId} 0 means every device of the account.
 */
record Signal(String type, long deviceId, JsonObject event, int code, String reason, long epoch, byte[] envelope) {
  static final String RING = "ring";
  static final String ONLINE = "online";
  static final String EVENT = "event";
  static final String CLOSE = "close";
  static final String CLAIM = "claim";

  static Signal ring(long deviceId) {
    return new Signal(RING, deviceId, null, 0, null, 0, null);
  }

  static Signal online(long deviceId, byte[] envelope) {
    return new Signal(ONLINE, deviceId, null, 0, null, 0, envelope);
  }

  static Signal event(long deviceId, JsonObject event) {
    return new Signal(EVENT, deviceId, event, 0, null, 0, null);
  }

  static Signal close(long deviceId, int code, String reason) {
    return new Signal(CLOSE, deviceId, null, code, reason, 0, null);
  }

  static Signal claim(long deviceId, long epoch) {
    return new Signal(CLAIM, deviceId, null, 0, null, epoch, null);
  }

  boolean forAllDevices() {
    return deviceId == 0;
  }

  String encode() {
    JsonObject json = new JsonObject().put("t", type).put("d", deviceId);
    if (event != null) {
      json.put("e", event);
    }
    if (reason != null) {
      json.put("c", code).put("r", reason);
    }
    if (epoch != 0) {
      json.put("n", epoch);
    }
    if (envelope != null) {
      json.put("b", envelope);
    }
    return json.encode();
  }

  /** Empty for anything this version does not understand (a newer node may say more). */
  static Optional<Signal> decode(String text) {
    try {
      JsonObject json = new JsonObject(text);
      return Optional.of(new Signal(json.getString("t", ""), json.getLong("d", 0L), json.getJsonObject("e"),
          json.getInteger("c", 0), json.getString("r"), json.getLong("n", 0L), json.getBinary("b")));
    } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
