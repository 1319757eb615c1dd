package org.quintet.relay.linking;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import org.quintet.protocol.Delivery.ProvisioningFrame;
import org.quintet.relay.api.ApiException;

/** A companion waiting to be linked: its socket, the socket's id, its current one-time address. */
final class ProvisioningSocket {
  final ServerWebSocket socket;
  final String id;
  /** The client's address, for the limiters that count per address. */
  final String clientKey;
  String address;
  Pairing pairing;
  /** A pairing request is being recorded: a second one is refused meanwhile. */
  boolean pairingPending;
  boolean closed;

  ProvisioningSocket(ServerWebSocket socket, String id, String clientKey) {
    this.socket = socket;
    this.id = id;
    this.clientKey = clientKey;
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

  /** A refusal of the API as an error frame: its code, its message and its fields ({@code retryAfterSeconds}). */
  void refuse(ApiException refusal) {
    send(refusal.body().put("type", ProvisioningFrame.ERROR));
  }

  void close(int code, String reason) {
    if (!closed) {
      closed = true;
      socket.close((short) code, reason);
    }
  }
}
