package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.b64;
import static org.quintet.relay.TestDevice.expect;
import static org.quintet.relay.TestRelay.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.Delivery;
import org.quintet.relay.delivery.Connections;
import org.quintet.relay.storage.redis.RedisServer;

/**
 * Two relay processes over one redis-server, as a cluster runs: a node killed with SIGKILL while
 * its devices are receiving loses nothing that was acknowledged with 200 and repeats nothing its
 * devices acknowledged; its devices carry on at the other node. A newer delivery connection on one
 * node replaces the older on the other.
 */
class ClusterFaultTest {
  private static final String ALICE = "+15550600001";
  private static final String BOB = "+15550600002";
  private static final int WINDOW = 64;

  @TempDir
  Path data;
  RedisServer redis;
  RelayProcess node1;
  RelayProcess node2;
  Vertx clientVertx;
  String url1;
  String url2;

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
    Path config = data.resolve("quintet.json");
    // Senders here keep sending as fast as the relay answers, as no person does: how many a device
    // may send is AbuseLimitsTest's.
    Files.writeString(config, new JsonObject().put("verification", new JsonObject().put("sender", "log"))
        .put("rateLimits", new JsonObject().put("sendsPerDevice", new JsonObject().put("bucketSize", 1_000_000)
            .put("refillSeconds", 1))).encode());
    clientVertx = Vertx.vertx();
    // Each node has its own data directory, as on its own machine; they share Redis and the relay
    // key (copied from the first node, as an operator does), so any node checks any node's tokens.
    node1 = RelayProcess.start(data.resolve("node1"), config, redis.url());
    url1 = node1.url();
    Files.createDirectories(data.resolve("node2"));
    Files.copy(data.resolve("node1").resolve("relay.key"), data.resolve("node2").resolve("relay.key"));
    node2 = RelayProcess.start(data.resolve("node2"), config, redis.url());
    url2 = node2.url();
    node1.awaitHealthy(clientVertx);
    node2.awaitHealthy(clientVertx);
  }

  @AfterEach
  void stop() throws Exception {
    try {
      for (RelayProcess node : new RelayProcess[] {node1, node2}) {
        if (node != null) {
          node.close();
        }
      }
      if (clientVertx != null) {
        await(clientVertx.close());
      }
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  /** One receiving device: what it got on node 1, in order, and whether it acknowledged each. */
  private static final class Receiving {
    final TestDevice device;
    final TestDevice.Delivery delivery;
    final List<String> delivered = new ArrayList<>();
    final Thread thread;
    volatile Throwable failure;
    volatile boolean stop;

    Receiving(TestDevice device) throws Exception {
      this.device = device;
      this.delivery = device.connect();
      this.thread = new Thread(this::run, "receiver-" + device);
      thread.setDaemon(true);
      thread.start();
    }

    private void run() {
      try {
        while (!delivery.isClosed() && !stop) {
          Optional<TestDevice.Delivered> next = delivery.nextEnvelope(200);
          if (next.isPresent()) {
            synchronized (delivered) {
              delivered.add(b64(next.get().envelope().messageId()));
            }
            delivery.ack(next.get().seq());
          }
        }
      } catch (Throwable e) {
        failure = e;
      }
    }

    int count() {
      synchronized (delivered) {
        return delivered.size();
      }
    }
  }

  /**
   * Waits until every receiver got {@code received} envelopes, or the sender has taken
   * {@code taken} of its requests, so that a fault strikes while messages flow both ways.
   */
  private static void awaitMidStream(List<Receiving> receivers, int received, SendLanes sending, int taken)
      throws InterruptedException {
    long deadline = System.currentTimeMillis() + 40_000;
    while (receivers.stream().anyMatch(r -> r.count() < received) && System.currentTimeMillis() < deadline
        && sending.taken() < taken) {
      Thread.sleep(10);
    }
  }

  @Test
  @Timeout(120)
  void aNodeKilledMidStreamLosesNothingAcknowledgedAndItsDevicesDrainAtTheOtherNode() throws Exception {
    TestDevice alice = new TestDevice(clientVertx, url2, ALICE).registerAsPrimary(node2::codeFor);
    TestDevice bobPhone = new TestDevice(clientVertx, url1, BOB).registerAsPrimary(node1::codeFor);
    TestDevice bobLaptop = bobPhone.linkCompanion(2);
    List<TestDevice> bobs = List.of(bobPhone, bobLaptop);

    // Real ciphertexts for both of Bob's devices, made before the clock starts.
    int prepared = 1500;
    SendLanes sending = SendLanes.prepare(alice, bobs, prepared);

    List<Receiving> onNode1 = new ArrayList<>();
    for (TestDevice bob : bobs) {
      onNode1.add(new Receiving(bob));
    }
    sending.start(4);

    // Kill node 1 while both devices are receiving there and the sender is still sending.
    awaitMidStream(onNode1, 150, sending, prepared - 300);
    int sentBeforeKill = sending.acknowledged.size();
    node1.kill();
    for (Receiving receiving : onNode1) {
      receiving.thread.join(30_000);
      assertTrue(receiving.delivery.isClosed(), "the killed node's connections are closed");
      if (receiving.failure != null) {
        throw new AssertionError("receiving on node 1 failed", receiving.failure);
      }
      assertTrue(receiving.count() >= 50, receiving.device + " received " + receiving.count() + " on node 1");
    }
    // The sender goes on through node 2 for a while.
    int target = Math.min(prepared - 50, sending.acknowledged.size() + 200);
    long deadline = System.currentTimeMillis() + 30_000;
    while (sending.acknowledged.size() < target && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    sending.stop();
    assertEquals(0, sending.failed.get(), "node 2 answered every send");
    assertEquals(0, sending.refused.get(), "node 2 refused no send");
    assertTrue(sending.acknowledged.size() > sentBeforeKill, "sends went on after the kill");

    for (Receiving first : onNode1) {
      TestDevice bob = first.device;
      bob.attach(clientVertx, url2);
      bob.login();
      List<TestDevice.Delivered> again;
      try (TestDevice.Delivery inbox = bob.connect()) {
        again = inbox.receiveUntilQueueEmpty(60_000);
      }
      List<String> onFirst = first.delivered;
      Set<String> seenOnFirst = new HashSet<>(onFirst);
      assertEquals(onFirst.size(), seenOnFirst.size(), bob + ": node 1 delivered a message twice");
      Set<String> seenOnSecond = new HashSet<>();
      Set<Integer> received = new HashSet<>();
      for (String id : onFirst) {
        received.add(sending.indexOf(id));
      }
      List<String> repeats = new ArrayList<>();
      for (TestDevice.Delivered d : again) {
        String id = b64(d.envelope().messageId());
        Integer index = sending.indexOf(id);
        assertTrue(index != null && sending.attempted.contains(index), "a message that was never sent");
        assertTrue(seenOnSecond.add(id), bob + ": node 2 delivered message " + index + " twice");
        if (seenOnFirst.contains(id)) {
          repeats.add(id);
        }
        received.add(index);
      }
      Set<Integer> lost = new HashSet<>(sending.acknowledged);
      lost.removeAll(received);
      assertEquals(Set.of(), lost, bob + ": sends answered with 200 that never arrived");
      // The relay sends an envelope only while fewer than WINDOW are unacknowledged, and counts one
      // acknowledged once it is removed: all but the last WINDOW delivered on node 1 were removed.
      assertTrue(repeats.size() <= WINDOW, bob + ": " + repeats.size() + " repeats");
      Set<String> lastWindow = new HashSet<>(onFirst.subList(Math.max(0, onFirst.size() - WINDOW), onFirst.size()));
      for (String id : repeats) {
        assertTrue(lastWindow.contains(id), bob + ": message " + sending.indexOf(id)
            + " was acknowledged and removed on node 1, yet node 2 delivered it again");
      }
    }
  }

  @Test
  @Timeout(120)
  void aStoppedNodeTellsItsDevicesToGoElsewhereAndLosesNothing() throws Exception {
    TestDevice alice = new TestDevice(clientVertx, url1, ALICE).registerAsPrimary(node1::codeFor);
    TestDevice bob = new TestDevice(clientVertx, url1, BOB).registerAsPrimary(node1::codeFor);
    int prepared = 2000;
    SendLanes sending = SendLanes.prepare(alice, List.of(bob), prepared);
    Receiving onNode1 = new Receiving(bob);
    BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    WebSocket companion = provisioningSocket(url1, frames);
    CompletableFuture<Short> companionClosed = new CompletableFuture<>();
    companion.closeHandler(v -> companionClosed.complete(companion.closeStatusCode()));
    sending.start(4);
    awaitMidStream(List.of(onNode1), 200, sending, prepared - 300);

    // Stopped as an operator stops it, with sends in flight to it and deliveries from it.
    node1.stop();
    sending.stop();
    onNode1.thread.join(30_000);
    assertEquals((short) Delivery.Close.GOING_AWAY, onNode1.delivery.closeCode());
    assertEquals(Delivery.Reason.GOING_AWAY, onNode1.delivery.closeReason);
    assertEquals((short) Delivery.Close.GOING_AWAY, companionClosed.get(10, TimeUnit.SECONDS));
    assertTrue(node1.output().contains("stopped"), "the node shut down cleanly:\n" + node1.output());
    assertEquals(0, sending.refused.get(), "the stopping node answered no request with an error");
    if (onNode1.failure != null) {
      throw new AssertionError("receiving on node 1 failed", onNode1.failure);
    }

    // The device goes to node 2 and finds everything node 1 answered with 200.
    bob.attach(clientVertx, url2);
    bob.login();
    Set<Integer> received = new HashSet<>();
    onNode1.delivered.forEach(id -> received.add(sending.indexOf(id)));
    try (TestDevice.Delivery inbox = bob.connect()) {
      inbox.receiveUntilQueueEmpty(60_000).forEach(d -> received.add(sending.indexOf(b64(d.envelope().messageId()))));
    }
    Set<Integer> lost = new HashSet<>(sending.acknowledged);
    lost.removeAll(received);
    assertTrue(sending.acknowledged.size() >= 200, sending.acknowledged.size() + " sends answered");
    assertEquals(Set.of(), lost, "sends answered with 200 that never arrived");
  }

  @Test
  @Timeout(90)
  void aNodeKilledWhileSendingKeepsEverySendItAnsweredForADeviceOnTheOtherNode() throws Exception {
    TestDevice alice = new TestDevice(clientVertx, url1, ALICE).registerAsPrimary(node1::codeFor);
    TestDevice bob = new TestDevice(clientVertx, url2, BOB).registerAsPrimary(node2::codeFor);
    int prepared = 3000;
    SendLanes sending = SendLanes.prepare(alice, List.of(bob), prepared);
    Receiving live = new Receiving(bob);
    sending.start(8);
    awaitMidStream(List.of(live), 200, sending, prepared - 100);
    // The sender's node dies with sends in flight; the receiver's node goes on.
    node1.kill();
    sending.stop();
    assertEquals(0, sending.refused.get(), "node 1 refused no send while it ran");
    assertTrue(sending.failed.get() > 0, "sends were in flight when node 1 was killed");
    assertTrue(!live.delivery.isClosed(), "the receiver's connection on node 2 stays open");

    // Everything node 1 answered with 200 reaches the device on node 2, live or on its next connection.
    List<String> later;
    live.stop = true;
    live.thread.join(30_000);
    live.delivery.close();
    try (TestDevice.Delivery inbox = bob.connect()) {
      later = inbox.receiveUntilQueueEmpty(60_000).stream().map(d -> b64(d.envelope().messageId())).toList();
    }
    Set<Integer> received = new HashSet<>();
    for (String id : live.delivered) {
      assertTrue(received.add(sending.indexOf(id)), "delivered twice on one connection: " + sending.indexOf(id));
    }
    int repeats = 0;
    Set<Integer> onSecond = new HashSet<>();
    for (String id : later) {
      Integer index = sending.indexOf(id);
      assertTrue(index != null && sending.attempted.contains(index), "a message that was never sent");
      assertTrue(onSecond.add(index), "delivered twice on one connection: " + index);
      if (!received.add(index)) {
        repeats++;
      }
    }
    assertTrue(repeats <= WINDOW, repeats + " repeats");
    Set<Integer> lost = new HashSet<>(sending.acknowledged);
    lost.removeAll(received);
    assertEquals(Set.of(), lost, "sends answered with 200 that never arrived");
  }

  @Test
  @Timeout(60)
  void aNewerConnectionOnOneNodeReplacesTheOlderOnTheOther() throws Exception {
    TestDevice alice = new TestDevice(clientVertx, url2, ALICE).registerAsPrimary(node2::codeFor);
    TestDevice bob = new TestDevice(clientVertx, url1, BOB).registerAsPrimary(node1::codeFor);
    try (TestDevice.Delivery older = bob.connect()) {
      older.event("queue-empty");
      expect(alice.send("to the older", bob), 200);
      TestDevice.Delivered first = older.envelope();
      assertEquals("to the older", bob.decrypt(first.envelope()));
      older.ack(first.seq());

      bob.attach(clientVertx, url2);
      bob.login();
      try (TestDevice.Delivery newer = bob.connect()) {
        assertEquals(Delivery.Close.REPLACED, older.closeCode());
        assertEquals(Delivery.Reason.REPLACED, older.closeReason);
        newer.event("queue-empty");
        // Sent through node 1: the newer connection, on node 2, gets it; the older got nothing more.
        alice.attach(clientVertx, url1);
        alice.login();
        expect(alice.send("to the newer", bob), 200);
        TestDevice.Delivered second = newer.envelope();
        assertEquals("to the newer", bob.decrypt(second.envelope()));
        newer.ack(second.seq());
        assertTrue(older.nextEnvelope(0).isEmpty(), "the replaced connection got no more envelopes");
        assertTrue(!newer.isClosed(), "the newer connection stays open");
      }
    }
  }

  @Test
  @Timeout(60)
  void ofTwoConnectionsOpenedAtOnceOnTwoNodesExactlyOneStays() throws Exception {
    TestDevice alice = new TestDevice(clientVertx, url2, ALICE).registerAsPrimary(node2::codeFor);
    TestDevice bob = new TestDevice(clientVertx, url1, BOB).registerAsPrimary(node1::codeFor);
    for (int round = 0; round < 5; round++) {
      Future<TestDevice.Delivery> onNode1 = connect(bob, url1);
      Future<TestDevice.Delivery> onNode2 = connect(bob, url2);
      try (TestDevice.Delivery first = await(onNode1); TestDevice.Delivery second = await(onNode2)) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!first.isClosed() && !second.isClosed() && System.currentTimeMillis() < deadline) {
          Thread.sleep(10);
        }
        assertTrue(first.isClosed() || second.isClosed(), "round " + round + ": both connections stayed open");
        TestDevice.Delivery replaced = first.isClosed() ? first : second;
        TestDevice.Delivery kept = first.isClosed() ? second : first;
        assertEquals(Delivery.Close.REPLACED, replaced.closeCode(), "round " + round);
        assertEquals(Delivery.Reason.REPLACED, replaced.closeReason, "round " + round);
        expect(alice.send("round " + round, bob), 200);
        TestDevice.Delivered delivered = kept.envelope();
        assertEquals("round " + round, bob.decrypt(delivered.envelope()));
        kept.ack(delivered.seq());
        assertTrue(!kept.isClosed(), "round " + round + ": the connection that stayed was closed too");
      }
    }
  }

  @Test
  @Timeout(60)
  void aCompanionWhoseNodeWasKilledIsGoneForThePrimaryAndCanStartAgainOnTheOtherNode() throws Exception {
    TestDevice alice = new TestDevice(clientVertx, url2, ALICE).registerAsPrimary(node2::codeFor);
    BlockingQueue<JsonObject> onNode1 = new LinkedBlockingQueue<>();
    WebSocket companion = provisioningSocket(url1, onNode1);
    String address = next(onNode1, "address").getString("address");
    byte[] hello = TestDevice.randomBytes(130);
    hello[0] = 1;
    hello[1] = 0x20;
    try (TestDevice.Delivery primary = alice.connect()) {
      companion.writeTextMessage(new JsonObject().put("type", "pair").put("number", ALICE)
          .put("hello", b64(hello)).encode());
      String stale = next(onNode1, "pairing").getString("pairingId");
      assertEquals(stale, primary.event("pairing-request").getString("pairingId"));

      node1.kill();
      // What the primary sends to the dead node's companion is refused, not swallowed.
      String sealed = b64(TestDevice.randomBytes(100));
      TestDevice.expectError(alice.put("/v1/provisioning/" + address, new JsonObject().put("message", sealed)),
          404, "NOT_FOUND");
      TestDevice.expectError(alice.post("/v1/pairing/" + stale + "/reply",
          new JsonObject().put("reply", b64(TestDevice.randomBytes(80))), true), 404, "NOT_FOUND");

      // The companion starts again on node 2: its new request reaches the primary and its reply the companion.
      BlockingQueue<JsonObject> onNode2 = new LinkedBlockingQueue<>();
      WebSocket again = provisioningSocket(url2, onNode2);
      next(onNode2, "address");
      again.writeTextMessage(new JsonObject().put("type", "pair").put("number", ALICE).put("hello", b64(hello)).encode());
      String pairingId = next(onNode2, "pairing").getString("pairingId");
      assertEquals(pairingId, primary.event("pairing-request").getString("pairingId"));
      String reply = b64(TestDevice.randomBytes(80));
      expect(alice.post("/v1/pairing/" + pairingId + "/reply", new JsonObject().put("reply", reply), true), 200);
      assertEquals(reply, next(onNode2, "reply").getString("reply"));
      again.close();
    }
  }

  private WebSocket provisioningSocket(String url, BlockingQueue<JsonObject> frames) throws Exception {
    return TestWebSockets.provisioning(clientVertx, url, frames);
  }

  /** The next frame of {@code type} (others of this test's interest are not expected in between). */
  private static JsonObject next(BlockingQueue<JsonObject> frames, String type) throws InterruptedException {
    JsonObject frame = frames.poll(10, TimeUnit.SECONDS);
    if (frame == null || !type.equals(frame.getString("type"))) {
      throw new AssertionError("expected a " + type + " frame, got " + frame);
    }
    return frame;
  }

  /** Opens a delivery connection of {@code device} at the node at {@code url}, with its token. */
  private Future<TestDevice.Delivery> connect(TestDevice device, String url) {
    URI uri = URI.create(url);
    // The handlers are set before the socket connects: the relay's first frames come at once.
    ClientWebSocket opening = TestWebSockets.client(clientVertx).webSocket();
    TestDevice.Delivery delivery = device.new Delivery(opening);
    return opening.connect(new WebSocketConnectOptions().setHost(uri.getHost())
        .setPort(uri.getPort()).setURI("/v1/websocket?token=" + device.token)).map(socket -> delivery);
  }

  @Test
  @Timeout(60)
  void aTokenIssuedByOneNodeIsAcceptedByTheOther() throws Exception {
    TestDevice bob = new TestDevice(clientVertx, url1, BOB).registerAsPrimary(node1::codeFor);
    // The token node 1 issued, used at node 2 (a load balancer that sends the device elsewhere).
    bob.attach(clientVertx, url2);
    expect(bob.get("/v1/accounts/" + bob.path()), 200);
    // A challenge from node 1 answered at node 2 (docs/relay-api.md: "any node can check it").
    bob.attach(clientVertx, url1);
    JsonObject request = bob.loginRequest();
    bob.attach(clientVertx, url2);
    expect(bob.post("/v1/auth/token", request, false), 200);
  }
}
