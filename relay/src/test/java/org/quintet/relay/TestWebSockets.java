package org.quintet.relay;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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

  private static WebSocketClient hold(WebSocketClient client) {
    HELD.add(client);
    return client;
  }
}
