package org.quintet.relay;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.quintet.protocol.Delivery;

/**
 * WebSocket clients for tests, kept reachable for the whole run. Vert.x shuts down a client that
 * its program no longer references (a {@link java.lang.ref.Cleaner} on the client it hands out),
 * closing its sockets: a test that kept only a socket would lose it, or its handshake, at whichever
 * garbage collection came first.
 */
public final class TestWebSockets {
  private static final List<WebSocketClient> HELD = new CopyOnWriteArrayList<>();

  private TestWebSockets() {}

  public static WebSocketClient client(Vertx vertx) {
    return hold(vertx.createWebSocketClient());
  }

  public static WebSocketClient client(Vertx vertx, WebSocketClientOptions options) {
    return hold(vertx.createWebSocketClient(options));
  }

  /**
   * A companion's provisioning socket at the relay at {@code url}, every text frame it gets put
   * into {@code frames} as JSON. The handler is set before the socket connects: the relay's
   * address frame comes at once.
   */
  public static WebSocket provisioning(Vertx vertx, String url, BlockingQueue<JsonObject> frames) throws Exception {
    URI uri = URI.create(url);
    ClientWebSocket opening = client(vertx).webSocket();
    opening.textMessageHandler(text -> frames.add(new JsonObject(text)));
    return TestRelay.await(opening.connect(new WebSocketConnectOptions()
        .setHost(uri.getHost()).setPort(uri.getPort()).setURI(Delivery.PROVISIONING_PATH)));
  }

  private static WebSocketClient hold(WebSocketClient client) {
    HELD.add(client);
    return client;
  }
}
