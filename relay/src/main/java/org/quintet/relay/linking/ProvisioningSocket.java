package org.quintet.relay.linking;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/** A companion waiting to be linked: its socket and its current one-time address. */
final class ProvisioningSocket {
  final ServerWebSocket socket;
  String address;
  Pairing pairing;
  boolean closed;

  ProvisioningSocket(ServerWebSocket socket) {
    this.socket = socket;
  }

  void send(JsonObject frame) {
    if (!closed) {
      socket.writeTextMessage(frame.encode());
    }
  }

  void error(String code, String message) {
    send(new JsonObject().put("type", "error").put("error", code).put("message", message));
  }

  void close(int code, String reason) {
    if (!closed) {
      closed = true;
      socket.close((short) code, reason);
    }
  }
}
