package org.quintet.relay;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.expect;

import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.relay.limits.Limiter;

/**
 * One client floods a node with sockets and connections from 127.0.0.1; another, at 127.0.0.2,
 * registers and chats all the same. The node's default caps: 16 provisioning sockets and 256 TCP
 * connections per address (a connection over the cap is closed at once), on a relay that trusts no
 * proxy.
 */
class ConnectionFloodTest {
  private static final String FLOODER = "127.0.0.1";
  private static final String OTHER = "127.0.0.2";
  private static final int FLOOD = 2000;

  @TempDir
  Path data;
  TestRelay relay;
  final List<Socket> held = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    relay = TestRelay.start(data);
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket socket : held) {
      socket.close();
    }
    relay.close();
  }

  private int open(Limiter cap) {
    return relay.server.connectionCaps().count(cap, FLOODER);
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket();
    held.add(socket);
    socket.bind(new InetSocketAddress(FLOODER, 0));
    socket.connect(new InetSocketAddress("127.0.0.1", relay.server.port()), 5_000);
    return socket;
  }

  /** A provisioning upgrade written by hand: the status the node answers, or 0 when it closed the connection. */
  private int upgrade(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    String key = Base64.getEncoder().encodeToString(TestDevice.randomBytes(16));
    try {
      socket.getOutputStream().write(("GET /v1/provisioning/websocket HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\n"
          + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(US_ASCII));
      String status = statusLine(socket.getInputStream());
      return status == null ? 0 : Integer.parseInt(status.split(" ")[1]);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the node neither answered nor closed the connection", e);
    } catch (IOException reset) {
      return 0;
    }
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        return line.toString().trim();
      }
      line.append((char) c);
    }
    return null;
  }

  private static boolean waitUntil(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  @Test
  void socketsAndIdleConnectionsFromOneClientDoNotStopAnother() throws Exception {
    // 2 000 provisioning sockets: 16 open, the rest of the address's 256 connections get a 429,
    // and the node closes every connection beyond those at once.
    int accepted = 0;
    int tooMany = 0;
    int closed = 0;
    List<Socket> refusedButOpen = new ArrayList<>();
    for (int i = 0; i < FLOOD; i++) {
      Socket socket = connect();
      int status = upgrade(socket);
      if (status == 101) {
        accepted++;
      } else if (status == 429) {
        tooMany++;
        refusedButOpen.add(socket);
      } else {
        assertEquals(0, status, "a refusal or a closed connection");
        closed++;
      }
    }
    assertEquals(16, accepted);
    assertEquals(256 - 16, tooMany);
    assertEquals(FLOOD - 256, closed);
    assertTrue(waitUntil(() -> open(Limiter.CONNECTIONS_PER_IP) == 256), "256 connections held");
    assertEquals(16, open(Limiter.PROVISIONING_SOCKETS_PER_IP));

    // The refused ones go; then 2 000 connections that never send a byte, or half a request.
    for (Socket socket : refusedButOpen) {
      socket.close();
    }
    assertTrue(waitUntil(() -> open(Limiter.CONNECTIONS_PER_IP) == 16), "the closed connections were given back");
    for (int i = 0; i < FLOOD; i++) {
      Socket socket = connect();
      if (i % 2 == 1) {
        socket.getOutputStream().write("GET /v1/accounts/%2B1555 HTTP/1.1\r\nHost: 12".getBytes(US_ASCII));
      }
    }
    assertTrue(waitUntil(() -> open(Limiter.CONNECTIONS_PER_IP) == 256), "the address holds its most, no more: "
        + open(Limiter.CONNECTIONS_PER_IP));

    // Meanwhile another client registers, links nothing, chats, and waits for a link like anyone.
    TestDevice alice = new TestDevice(relay, "+8801711000001").from(OTHER).registerAsPrimary(relay);
    TestDevice bob = new TestDevice(relay, "+8801811000002").from(OTHER).registerAsPrimary(relay);
    try (TestDevice.Delivery bobInbox = bob.connect(); TestDevice.Delivery aliceInbox = alice.connect()) {
      expect(alice.send("still here", bob), 200);
      // Not acknowledged, so that no delivery receipt comes before Bob's answer.
      assertEquals("still here", bob.decrypt(bobInbox.envelope().envelope()));
      expect(bob.send("and so am I", alice), 200);
      assertEquals("and so am I", alice.decrypt(aliceInbox.envelope().envelope()));
    }
    BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    WebSocketConnectOptions provisioning = new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(relay.server.port()).setURI("/v1/provisioning/websocket");
    // The handler is set before the socket connects: the address frame comes at once.
    ClientWebSocket opening = TestWebSockets.client(relay.vertx, new WebSocketClientOptions().setLocalAddress(OTHER))
        .webSocket();
    opening.textMessageHandler(frames::add);
    WebSocket page = TestRelay.await(opening.connect(provisioning));
    assertEquals("address", new JsonObject(frames.poll(10, TimeUnit.SECONDS)).getString("type"));
    TestRelay.await(page.close());

    // The flooding address itself still gets nothing more.
    // Closed at once, refused, or (on a machine busy closing the flood) not even answered: no socket.
    io.vertx.core.Future<WebSocket> refused = TestWebSockets.client(relay.vertx,
        new WebSocketClientOptions().setLocalAddress(FLOODER)).connect(provisioning);
    waitUntil(refused::isComplete);
    assertFalse(refused.succeeded(), "the flooding address got another socket");
    assertTrue(!(refused.cause() instanceof UpgradeRejectedException rejected) || rejected.getStatus() == 429,
        String.valueOf(refused.cause()));

    // Every refusal was counted, by its limiter (read once the flood is over: the test's own client is at 127.0.0.1).
    for (Socket socket : held) {
      socket.close();
    }
    assertTrue(waitUntil(() -> open(Limiter.CONNECTIONS_PER_IP) == 0 && open(Limiter.PROVISIONING_SOCKETS_PER_IP) == 0),
        "every slot is given back when the connections close");
    Scrape metrics = Scrape.from(relay.vertx, relay.url() + "/metrics");
    assertEquals(tooMany, metrics.value("quintet_rate_limited_total", "limiter=provisioning_sockets_per_ip"));
    assertTrue(metrics.value("quintet_rate_limited_total", "limiter=connections_per_ip") >= closed + FLOOD - 240,
        metrics.text);
  }
}
