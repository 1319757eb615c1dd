package org.quintet.bench.relay;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.quintet.protocol.Delivery;

/** A device's delivery connection: every envelope is noted and acknowledged at once, as a client does. */
final class DeliverySocket {
  private DeliverySocket() {}

  static Future<WebSocket> connect(WebSocketClient client, int port, Device device, Deliveries deliveries) {
    String uri = Delivery.DELIVERY_PATH + "?token=" + URLEncoder.encode(device.token, StandardCharsets.UTF_8);
    return client.connect(port, "127.0.0.1", uri).onSuccess(socket -> socket.binaryMessageHandler(frame -> {
      long now = System.nanoTime();
      if (!Frames.isEnvelope(frame)) {
        return;
      }
      deliveries.envelope(Frames.kind(frame), Frames.sentNanos(frame), now, Frames.origin(frame) != device.node);
      socket.writeTextMessage("{\"type\":\"ack\",\"seq\":" + Frames.seq(frame) + "}");
    }));
  }
}
