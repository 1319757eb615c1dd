package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.quintet.protocol.Delivery;
import org.quintet.protocol.Delivery.ProvisioningFrame;

/**
 * A companion's provisioning socket ({@link Delivery#PROVISIONING_PATH}, docs/linking.md): JSON
 * frames both ways, no token (the companion has no account yet). Frames and the close are handed
 * to the linking flow on the client's event loop, in order.
 */
final class ProvisioningChannel {
  /** What the flow gets from the socket. */
  interface Frames {
    void onFrame(JsonObject frame);

    /** The socket closed; {@code code} is the close code (-1 when there was none). */
    void onClosed(int code, String reason);
  }

  private final WebSocketClient client;
  private WebSocket socket;

  private ProvisioningChannel(WebSocketClient client) {
    this.client = client;
  }

  static Future<ProvisioningChannel> open(Vertx vertx, RelayApi api, Frames frames) {
    WebSocketClient client = vertx.createWebSocketClient(api.webSocketOptions());
    ProvisioningChannel channel = new ProvisioningChannel(client);
    String url = api.baseUrl().replaceFirst("^http", "ws") + Delivery.PROVISIONING_PATH;
    return client.connect(new WebSocketConnectOptions().setAbsoluteURI(url)).transform(result -> {
      if (result.failed()) {
        client.close();
        return Future.failedFuture(api.unreachable(result.cause()));
      }
      WebSocket socket = result.result();
      channel.socket = socket;
      socket.textMessageHandler(text -> frames.onFrame(parse(text)));
      socket.closeHandler(v -> {
        Short code = socket.closeStatusCode();
        frames.onClosed(code == null ? -1 : code, socket.closeReason());
      });
      return Future.succeededFuture(channel);
    });
  }

  /** A frame that is not a JSON object reads as an error frame, which every flow refuses. */
  private static JsonObject parse(String text) {
    try {
      return new JsonObject(text);
    } catch (DecodeException e) {
      return new JsonObject().put("type", ProvisioningFrame.ERROR).put("error", "INVALID_FRAME")
          .put("message", "a frame that is not JSON");
    }
  }

  void send(JsonObject frame) {
    if (!socket.isClosed()) {
      socket.writeTextMessage(frame.encode());
    }
  }

  /** Closes the socket; the flow that asked for it is not told. */
  Future<Void> close() {
    socket.closeHandler(null);
    return socket.close().eventually(client::close).recover(e -> Future.succeededFuture());
  }
}
