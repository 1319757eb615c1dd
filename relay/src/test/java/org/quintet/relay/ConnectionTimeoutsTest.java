package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestRelay.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Held-open sockets are closed; quiet WebSockets are pinged and answer. */
class ConnectionTimeoutsTest {
  @TempDir
  Path dir;

  @Test
  void aConnectionThatNeverStartsARequestIsClosedWhileOneThatDoesIsServed() throws Exception {
    try (TestRelay relay = TestRelay.start(dir.resolve("data"));
         Socket silent = new Socket("127.0.0.1", relay.server.port());
         Socket asking = new Socket("127.0.0.1", relay.server.port())) {
      asking.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n".getBytes());
      byte[] answer = new byte[12];
      assertEquals(12, asking.getInputStream().readNBytes(answer, 0, 12));
      assertEquals("HTTP/1.1 200", new String(answer));

      // Past the relay's request-start bound (10 s) with nothing sent: the relay closes it.
      silent.setSoTimeout((int) RelayLimits.REQUEST_START_TIMEOUT.multipliedBy(3).toMillis());
      InputStream in = silent.getInputStream();
      assertEquals(-1, in.read(), "the relay closed the silent connection");
    }
  }

  @Test
  void everyWebSocketIsPingedAndAClientAnswers() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      ConnectionTimeouts timeouts = new ConnectionTimeouts(vertx, Duration.ofSeconds(10), Duration.ofMillis(200));
      CountDownLatch pongs = new CountDownLatch(3);
      HttpServer server = vertx.createHttpServer(ConnectionTimeouts.apply(new HttpServerOptions())
          .setHost("127.0.0.1").setPort(0));
      server.webSocketHandler(socket -> {
        socket.pongHandler(pong -> pongs.countDown());
        timeouts.keepAlive(socket);
      });
      await(server.listen());
      WebSocketClient client = TestWebSockets.client(vertx);
      WebSocket socket = await(client.connect(server.actualPort(), "127.0.0.1", "/"));
      assertTrue(pongs.await(20, TimeUnit.SECONDS), "three pings, three pongs");
      assertTrue(!socket.isClosed());
    } finally {
      await(vertx.close());
    }
  }

  @Test
  void aWebSocketOutlivesTheRequestStartBound() throws Exception {
    try (TestRelay relay = TestRelay.start(dir.resolve("data"))) {
      WebSocketClient client = TestWebSockets.client(relay.vertx);
      WebSocket socket = await(client.connect(relay.server.port(), "127.0.0.1", "/v1/provisioning/websocket"));
      CountDownLatch closed = new CountDownLatch(1);
      socket.closeHandler(v -> closed.countDown());
      // The upgrade was its request: the bound that closes silent connections does not apply.
      assertTrue(!closed.await(RelayLimits.REQUEST_START_TIMEOUT.toSeconds() + 3, TimeUnit.SECONDS),
          "the relay closed a WebSocket that had made its request");
    }
  }
}
