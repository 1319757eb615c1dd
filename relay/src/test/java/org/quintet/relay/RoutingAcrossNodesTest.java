package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.expect;
import static org.quintet.relay.TestDevice.expectError;

import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.Delivery;
import org.quintet.protocol.Envelope;
import org.quintet.relay.storage.redis.RedisServer;

/**
 * Three relay nodes over one Redis, as an operator runs a cluster: devices of one account on
 * different nodes, the doorbell, events and disconnects crossing nodes, one delivery connection per
 * device across the cluster, linking across nodes, and a slow consumer that does not make a node
 * hold more than its window. Run over a standalone Redis ({@link ClusterTest}) and a Redis Cluster
 * ({@link RedisClusterRoutingTest}).
 */
abstract class RoutingAcrossNodesTest {
  static final String ALICE = "+8801711000001";
  static final String BOB = "+8801811000002";

  @TempDir
  Path data;
  final List<TestRelay> nodes = new ArrayList<>();

  /** Empties the Redis the nodes share. */
  abstract void flushRedis() throws Exception;

  /** The {@code redis} section of the nodes' configuration. */
  abstract JsonObject redisSettings();

  @BeforeEach
  void startNodes() throws Exception {
    flushRedis();
    for (int i = 0; i < 3; i++) {
      nodes.add(TestRelay.start(data.resolve("node" + i), clusterConfig(data.resolve("relay.key"))));
    }
  }

  /** Every node of a cluster shares the Redis and the relay key. */
  JsonObject clusterConfig(Path relayKey) {
    // A slow consumer below gets bursts no person sends: how many a device may send is AbuseLimitsTest's.
    return new JsonObject().put("redis", redisSettings()).put("relayKeyFile", relayKey.toString())
        .put("rateLimits", new JsonObject().put("sendsPerDevice", new JsonObject().put("bucketSize", 100_000)
            .put("refillSeconds", 1)));
  }

  @AfterEach
  void stopNodes() throws Exception {
    for (TestRelay node : nodes) {
      node.close();
    }
  }

  TestRelay node(int i) {
    return nodes.get(i);
  }

  /** Registers on node {@code i}, which sends the code. */
  TestDevice primaryOn(int i, String number) throws Exception {
    return new TestDevice(node(i), number).registerAsPrimary(node(i));
  }

  /** The same signed challenge sent to every node at once: one token, and the other nodes refuse it. */
  @Test
  void aSignedLogInChallengeIsExchangedForATokenOnceInTheWholeCluster() throws Exception {
    TestDevice alice = primaryOn(0, ALICE);
    JsonObject login = alice.loginRequest();
    List<io.vertx.core.Future<io.vertx.ext.web.client.HttpResponse<io.vertx.core.buffer.Buffer>>> tries =
        new ArrayList<>();
    for (int round = 0; round < 2; round++) {
      for (TestRelay node : nodes) {
        tries.add(new TestDevice(node, ALICE).postAsync("/v1/auth/token", login, false));
      }
    }
    int tokens = 0;
    for (var attempt : tries) {
      var answer = TestRelay.await(attempt);
      if (answer.statusCode() == 200) {
        tokens++;
      } else {
        expectError(answer, 401, "BAD_CHALLENGE");
      }
    }
    assertEquals(1, tokens);
    // A fresh challenge still logs in, on any node.
    expect(alice.attach(node(2)).post("/v1/auth/token", alice.loginRequest(), false), 200);
  }

  @Test
  void messagesAndReceiptsCrossNodesToEveryDeviceOfAnAccount() throws Exception {
    TestDevice alice = primaryOn(0, ALICE);
    TestDevice bob = primaryOn(1, BOB);
    TestDevice bobLaptop = bob.linkCompanion(2).attach(node(2));
    TestDevice aliceTablet = alice.linkCompanion(2).attach(node(1));

    try (TestDevice.Delivery aliceInbox = alice.connect(); TestDevice.Delivery bobInbox = bob.connect();
        TestDevice.Delivery laptopInbox = bobLaptop.connect(); TestDevice.Delivery tabletInbox = aliceTablet.connect()) {
      expect(alice.send("hi bob", bob, bobLaptop, aliceTablet), 200);

      TestDevice.Delivered onPhone = bobInbox.envelope();
      assertEquals("hi bob", bob.decrypt(onPhone.envelope()));
      assertEquals("hi bob", bobLaptop.decrypt(laptopInbox.envelope().envelope()));
      assertEquals("hi bob", aliceTablet.decrypt(tabletInbox.envelope().envelope()));

      bobInbox.ack(onPhone.seq());
      Envelope receipt = aliceInbox.envelope().envelope();
      assertEquals(Envelope.KIND_DELIVERY_RECEIPT, receipt.kind());
      assertArrayEquals(onPhone.envelope().messageId(), receipt.messageId());
      assertEquals(BOB, receipt.source());

      // An event for the whole account reaches the devices on every node.
      expect(bob.delete("/v1/devices/2"), 200);
      assertEquals(Delivery.Close.DEVICE_REMOVED, laptopInbox.closeCode());
      assertEquals(Delivery.Reason.REMOVED, laptopInbox.closeReason);
      bobInbox.event("devices-changed");
    }
  }

  @Test
  void aNewerConnectionOnAnotherNodeReplacesTheOlderAndGetsTheQueue() throws Exception {
    TestDevice alice = primaryOn(0, ALICE);
    TestDevice bob = primaryOn(0, BOB);
    try (TestDevice.Delivery older = bob.connect()) {
      older.event("queue-empty");
      try (TestDevice.Delivery newer = bob.attach(node(2)).connect()) {
        assertEquals(Delivery.Close.REPLACED, older.closeCode());
        assertEquals(Delivery.Reason.REPLACED, older.closeReason);
        expect(alice.send("to the newer one", bob), 200);
        assertEquals("to the newer one", bob.decrypt(newer.envelope().envelope()));
        assertFalse(newer.isClosed());
      }
    }
    assertTrue(waitUntil(() -> nodes.stream().allMatch(n -> n.server.connections().size() == 0)),
        "every node let go of its connections");
  }

  @Test
  void aDeviceThatMovesToAnotherNodeDrainsWhatWasQueuedMeanwhile() throws Exception {
    TestDevice alice = primaryOn(0, ALICE);
    TestDevice bob = primaryOn(1, BOB);
    try (TestDevice.Delivery first = bob.connect()) {
      expect(alice.send("one", bob), 200);
      assertEquals("one", bob.decrypt(first.receive(1).get(0).envelope()));
    }
    for (int i = 0; i < 20; i++) {
      expect(alice.send("queued " + i, bob), 200);
    }
    try (TestDevice.Delivery moved = bob.attach(node(2)).connect()) {
      List<TestDevice.Delivered> drained = moved.receiveUntilQueueEmpty(10_000);
      assertEquals(20, drained.size());
      for (int i = 0; i < 20; i++) {
        assertEquals("queued " + i, bob.decrypt(drained.get(i).envelope()));
      }
    }
    assertTrue(waitUntil(() -> node(0).queueSize(BOB, 1) == 0), "every acknowledged envelope left the queue");
  }

  @Test
  void anOnlineEnvelopeReachesADeviceConnectedToAnotherNodeAndIsQueuedForNone() throws Exception {
    TestDevice alice = primaryOn(0, ALICE);
    TestDevice bob = primaryOn(1, BOB);
    TestDevice bobLaptop = bob.linkCompanion(2).attach(node(2));
    try (TestDevice.Delivery bobInbox = bob.connect()) {
      bobInbox.event("queue-empty");
      JsonObject answer = expect(alice.post("/v1/messages",
          alice.sendRequest(TestDevice.messageId(), "typing", List.of(bob, bobLaptop)).put("online", true), true), 200);
      assertEquals(new JsonArray().add(new JsonObject().put("number", BOB).put("deviceId", 1)),
          answer.getJsonArray("connected"), "the phone's claim, made on another node");
      TestDevice.Delivered typing = bobInbox.envelope();
      assertTrue(typing.online());
      assertEquals("typing", bob.decrypt(typing.envelope()));
      assertEquals(0, node(0).queueSize(BOB, 1));
      assertEquals(0, node(0).queueSize(BOB, 2));
      try (TestDevice.Delivery laptopInbox = bobLaptop.connect()) {
        expect(alice.send("sentinel", bob, bobLaptop), 200);
        assertEquals("sentinel", bobLaptop.decrypt(laptopInbox.envelope().envelope()),
            "the laptop, not connected then, never gets the online envelope");
        assertEquals("sentinel", bob.decrypt(bobInbox.envelope().envelope()), "the phone got it once");
      }
    }
  }

  @Test
  void anEnvelopePastItsTtlIsNotDeliveredOnAnyNodeAndTheQueueMovesOn() throws Exception {
    TestDevice alice = primaryOn(0, ALICE);
    TestDevice bob = primaryOn(1, BOB);
    expect(alice.post("/v1/messages",
        alice.sendRequest(TestDevice.messageId(), "stale soon", List.of(bob)).put("ttlSeconds", 1), true), 200);
    expect(alice.send("later", bob), 200);
    node(2).clock.advance(java.time.Duration.ofSeconds(2));
    try (TestDevice.Delivery bobInbox = bob.attach(node(2)).connect()) {
      List<TestDevice.Delivered> delivered = bobInbox.receiveUntilQueueEmpty(10_000);
      assertEquals(1, delivered.size(), "only the envelope still within its time");
      assertEquals("later", bob.decrypt(delivered.get(0).envelope()));
    }
    assertTrue(waitUntil(() -> node(0).queueSize(BOB, 1) == 0), "the expired envelope left the queue too");
  }

  @Test
  void aCompanionWaitingOnOneNodeIsProvisionedFromAnother() throws Exception {
    TestDevice alice = primaryOn(1, ALICE);
    WebSocketClient client = TestWebSockets.client(node(0).vertx);
    BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
    URI uri = URI.create(node(0).url());
    // The handler is set before the socket connects: the address frame comes at once.
    ClientWebSocket opening = client.webSocket();
    opening.textMessageHandler(text -> frames.add(new JsonObject(text)));
    WebSocket companion = TestRelay.await(opening.connect(new WebSocketConnectOptions().setHost(uri.getHost())
        .setPort(uri.getPort()).setURI("/v1/provisioning/websocket")));
    JsonObject address = frames.poll(10, TimeUnit.SECONDS);
    assertEquals("address", address.getString("type"));

    String sealed = TestDevice.b64(TestDevice.randomBytes(100));
    expect(alice.put("/v1/provisioning/" + address.getString("address"), new JsonObject().put("message", sealed)), 200);
    JsonObject provision = frames.poll(10, TimeUnit.SECONDS);
    assertEquals("provision", provision.getString("type"));
    assertEquals(sealed, provision.getString("message"));

    // Code pairing: the request made on node 0 is seen by the primary on node 1 and by any node.
    byte[] hello = TestDevice.randomBytes(130);
    hello[0] = 1;
    hello[1] = 0x20;
    try (TestDevice.Delivery primaryInbox = alice.connect()) {
      companion.writeTextMessage(new JsonObject().put("type", "pair").put("number", ALICE)
          .put("hello", TestDevice.b64(hello)).encode());
      JsonObject pairing = frames.poll(10, TimeUnit.SECONDS);
      assertEquals("pairing", pairing.getString("type"), pairing.encode());
      String pairingId = pairing.getString("pairingId");
      assertEquals(pairingId, primaryInbox.event("pairing-request").getString("pairingId"));
      JsonArray pending = expect(alice.attach(node(2)).get("/v1/pairing"), 200).getJsonArray("requests");
      assertEquals(1, pending.size());
      assertEquals(TestDevice.b64(hello), pending.getJsonObject(0).getString("hello"));

      String reply = TestDevice.b64(TestDevice.randomBytes(80));
      expect(alice.post("/v1/pairing/" + pairingId + "/reply", new JsonObject().put("reply", reply), true), 200);
      JsonObject forwarded = frames.poll(10, TimeUnit.SECONDS);
      assertEquals("reply", forwarded.getString("type"));
      assertEquals(reply, forwarded.getString("reply"));

      companion.writeTextMessage(new JsonObject().put("type", "wrong-code").encode());
      assertEquals(2, primaryInbox.event("pairing-wrong-code").getInteger("attemptsLeft"));
      companion.writeTextMessage(new JsonObject().put("type", "confirm").put("confirm", "c29tZQ==").encode());
      assertEquals("c29tZQ==", primaryInbox.event("pairing-confirm").getString("confirm"));
      assertTrue(expect(alice.get("/v1/pairing"), 200).getJsonArray("requests").isEmpty(),
          "a confirmed request is no longer pending");
    }

    TestRelay.await(companion.close());
    assertTrue(waitUntil(() -> alice.put("/v1/provisioning/" + address.getString("address"),
        new JsonObject().put("message", sealed)).statusCode() == 404), "a closed socket's address is gone");
    expectError(alice.put("/v1/provisioning/" + address.getString("address"), new JsonObject().put("message", sealed)),
        404, "NOT_FOUND");
  }

  @Test
  void aSlowConsumerHoldsNoMoreThanItsWindowOnTheNode() throws Exception {
    TestDevice alice = primaryOn(0, ALICE);
    TestDevice bob = primaryOn(1, BOB);
    int window = node(1).config.deliveryWindow();
    try (TestDevice.Delivery slow = bob.attach(node(2)).connect()) {
      for (int i = 0; i < window * 3; i++) {
        expect(alice.send("m" + i, bob), 200);
      }
      List<TestDevice.Delivered> unacknowledged = slow.drain(1500);
      assertEquals(window, unacknowledged.size(), "a device that does not acknowledge gets its window, no more");
      assertEquals(window * 3, node(0).queueSize(BOB, 1), "the rest waits in Redis, not in a node's memory");
      unacknowledged.forEach(d -> slow.ack(d.seq()));
      assertEquals(window, slow.drain(1500).size(), "each acknowledgement makes room for one more");
    }
  }

  @Test
  void aNodeWithAnotherRelayKeyRefusesToJoinAndSaysWhy() {
    Exception refused = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> TestRelay.start(data.resolve("stranger"), clusterConfig(data.resolve("another.key"))).close());
    assertTrue(String.valueOf(refused.getMessage()).contains("is not the cluster's"), refused.toString());
  }

  interface Check {
    boolean holds() throws Exception;
  }

  static boolean waitUntil(Check check) throws Exception {
    long deadline = System.currentTimeMillis() + 15_000;
    while (System.currentTimeMillis() < deadline) {
      if (check.holds()) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }
}
