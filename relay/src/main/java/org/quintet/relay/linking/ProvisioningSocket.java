package org.quintet.relay.linking;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import org.quintet.protocol.Delivery.ProvisioningFrame;

/** A companion waiting to be linked: its socket, the socket's id, its current one-time address. */
final class ProvisioningSocket {
  final ServerWebSocket socket;
  final String id;
  String address;
  Pairing pairing;
  /** A pairing request is being recorded: a second one is refused meanwhile. */
  boolean pairingPending;
  boolean closed;

  ProvisioningSocket(ServerWebSocket socket, String id) {
    this.socket = socket;
    this.id = id;
  }

  /** A frame another node published for this companion, already encoded. */
  void sendRaw(String frame) {
    if (!closed) {
      socket.writeTextMessage(frame);
    }
  }

  void send(JsonObject frame) {
    sendRaw(frame.encode());
  }

  void error(String code, String message) {
    send(new JsonObject().put("type", ProvisioningFrame.ERROR).put("error", code).put("message", message));
  }

  void close(int code, String reason) {
    if (!closed) {
      closed = true;
      socket.close((short) code, reason);
    }
  }
}
