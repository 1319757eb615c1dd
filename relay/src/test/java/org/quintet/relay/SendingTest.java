package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.b64;
import static org.quintet.relay.TestDevice.expect;
import static org.quintet.relay.TestDevice.expectError;
import static org.quintet.relay.TestRelay.await;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.Envelope;

/** Sending: fan-out to every device, the device-set check that refuses a request whole, and delivery under load. */
class SendingTest {
  private static final String ALICE = "+15550200001";
  private static final String BOB = "+15550200002";
  private static final String CAROL = "+15550200003";

  @TempDir
  Path data;
  TestRelay relay;
  TestDevice alice;
  TestDevice bob;

  @BeforeEach
  void start() throws Exception {
    // Devices here send in bursts no person makes: how many a device may send is AbuseLimitsTest's.
    relay = TestRelay.start(data, new JsonObject().put("rateLimits", new JsonObject()
        .put("sendsPerDevice", new JsonObject().put("bucketSize", 100_000).put("refillSeconds", 1))));
    alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
  }

  private static JsonObject group(String number, JsonObject... messages) {
    JsonArray list = new JsonArray();
    for (JsonObject message : messages) {
      list.add(message);
    }
    return new JsonObject().put("number", number).put("messages", list);
  }

  private static JsonObject request(JsonObject... groups) {
    JsonArray recipients = new JsonArray();
    for (JsonObject group : groups) {
      recipients.add(group);
    }
    return new JsonObject().put("messageId", b64(TestDevice.messageId())).put("timestamp", 1_700_000_000_000L)
        .put("recipients", recipients);
  }

  private static JsonObject mismatch(String number, List<Integer> missing, List<Integer> extra, List<Integer> stale) {
    return new JsonObject().put("number", number).put("missing", new JsonArray(new ArrayList<>(missing)))
        .put("extra", new JsonArray(new ArrayList<>(extra))).put("stale", new JsonArray(new ArrayList<>(stale)));
  }

  /** The mismatches of a 409, by number. */
  private static Map<String, JsonObject> mismatches(JsonObject refusal) {
    Map<String, JsonObject> out = new HashMap<>();
    for (Object entry : refusal.getJsonArray("mismatches")) {
      out.put(((JsonObject) entry).getString("number"), (JsonObject) entry);
    }
    return out;
  }

  @Test
  void oneRequestReachesEveryOtherDeviceOfBothAccountsOnce() throws Exception {
    TestDevice alice2 = alice.linkCompanion(2);
    TestDevice bob2 = bob.linkCompanion(2);
    TestDevice.Delivery aliceInbox = alice.connect();
    TestDevice.Delivery alice2Inbox = alice2.connect();
    TestDevice.Delivery bobInbox = bob.connect();
    TestDevice.Delivery bob2Inbox = bob2.connect();
    for (TestDevice.Delivery inbox : List.of(aliceInbox, alice2Inbox, bobInbox, bob2Inbox)) {
      inbox.event("queue-empty");
    }

    byte[] messageId = TestDevice.messageId();
    JsonObject send = alice.sendRequest(messageId, "hello, all of you", List.of(bob, bob2, alice2));
    long before = System.currentTimeMillis();
    long serverTimestamp = expect(alice.post("/v1/messages", send, true), 200).getLong("serverTimestamp");
    assertTrue(serverTimestamp >= before - 1000 && serverTimestamp <= System.currentTimeMillis() + 1000);
    for (long id = 1; id <= 2; id++) {
      assertEquals(1, relay.queueSize(BOB, id), "queued before it is acknowledged");
    }
    assertEquals(1, relay.queueSize(ALICE, 2));
    assertEquals(0, relay.queueSize(ALICE, 1), "the sending device gets nothing");

    for (TestDevice device : List.of(bob, bob2, alice2)) {
      TestDevice.Delivery inbox = device == bob ? bobInbox : device == bob2 ? bob2Inbox : alice2Inbox;
      TestDevice.Delivered delivered = inbox.envelope();
      Envelope envelope = delivered.envelope();
      assertEquals(Envelope.KIND_PREKEY_MESSAGE, envelope.kind());
      assertArrayEquals(messageId, envelope.messageId());
      assertEquals(send.getLong("timestamp"), envelope.timestamp());
      assertEquals(serverTimestamp, envelope.serverTimestamp());
      assertEquals(ALICE, envelope.source());
      assertEquals(1, envelope.sourceDevice());
      assertEquals(device.deviceId, envelope.destinationDevice());
      assertEquals("hello, all of you", device.decrypt(envelope));
      inbox.ack(delivered.seq());
      assertTrue(inbox.nextEnvelope(100).isEmpty(), "exactly one envelope for " + device);
    }

    // Bob's two devices acknowledged: alice's primary gets one receipt from each; her companion's
    // acknowledgement (same account) makes none.
    Map<Long, Envelope> receipts = new HashMap<>();
    for (TestDevice.Delivered receipt : aliceInbox.receive(2)) {
      assertEquals(Envelope.KIND_DELIVERY_RECEIPT, receipt.envelope().kind());
      assertArrayEquals(messageId, receipt.envelope().messageId());
      assertEquals(BOB, receipt.envelope().source());
      assertEquals(1, receipt.envelope().destinationDevice());
      receipts.put(receipt.envelope().sourceDevice(), receipt.envelope());
    }
    assertEquals(Set.of(1L, 2L), receipts.keySet());
    assertTrue(aliceInbox.nextEnvelope(200).isEmpty());
    for (long id = 1; id <= 2; id++) {
      assertEquals(0, relay.queueSize(BOB, id), "acknowledged envelopes leave the queue");
      assertEquals(0, relay.queueSize(ALICE, id));
    }

    // Bob's companion answers alice's two devices and its own primary: a ratchet message for alice's
    // primary now, as its session came from her prekey message.
    expect(bob2.post("/v1/messages", bob2.sendRequest(TestDevice.messageId(), "hi alice", List.of(alice, alice2, bob)),
        true), 200);
    Envelope toAlice = aliceInbox.envelope().envelope();
    assertEquals(Envelope.KIND_RATCHET_MESSAGE, toAlice.kind());
    assertEquals(BOB, toAlice.source());
    assertEquals(2, toAlice.sourceDevice());
    assertEquals("hi alice", alice.decrypt(toAlice));
    assertEquals("hi alice", alice2.decrypt(alice2Inbox.envelope().envelope()));
    Envelope toOwnPrimary = bobInbox.envelope().envelope();
    assertEquals(Envelope.KIND_PREKEY_MESSAGE, toOwnPrimary.kind());
    assertEquals("hi alice", bob.decrypt(toOwnPrimary));
    assertTrue(bob2Inbox.nextEnvelope(200).isEmpty(), "the sender gets no copy");

    // Alice's primary decrypted bob's answer, so its session is no longer pending.
    expect(alice.post("/v1/messages", alice.sendRequest(TestDevice.messageId(), "ratchet on",
        List.of(bob2, bob, alice2)), true), 200);
    Envelope ratchet = bob2Inbox.envelope().envelope();
    assertEquals(Envelope.KIND_RATCHET_MESSAGE, ratchet.kind());
    assertEquals("ratchet on", bob2.decrypt(ratchet));
    for (TestDevice.Delivery inbox : List.of(aliceInbox, alice2Inbox, bobInbox, bob2Inbox)) {
      inbox.close();
    }
  }

  @Test
  void missingExtraAndStaleDevicesAreNamedExactlyAndNothingIsQueued() throws Exception {
    TestDevice alice2 = alice.linkCompanion(2);
    TestDevice bob2 = bob.linkCompanion(2);
    TestDevice bob3 = bob.linkCompanion(3);
    JsonObject forBob = alice.encryptFor(bob, "x");
    JsonObject forBob2 = alice.encryptFor(bob2, "x");
    JsonObject forBob3 = alice.encryptFor(bob3, "x");
    JsonObject forAlice2 = alice.encryptFor(alice2, "x");
    JsonObject forBob7 = forBob2.copy().put("deviceId", 7);
    JsonObject forBobStale = forBob.copy().put("registrationId", bob.registrationId % 1000 + 1);
    JsonObject forAlice1 = forAlice2.copy().put("deviceId", 1).put("registrationId", alice.registrationId);
    JsonObject forAlice2Stale = forAlice2.copy().put("registrationId", alice2.registrationId % 1000 + 1);
    JsonObject before = RelayState.of(relay, ALICE, BOB);

    // missing
    Map<String, JsonObject> refused = mismatches(expectError(alice.post("/v1/messages",
        request(group(BOB, forBob, forBob3), group(ALICE, forAlice2)), true), 409, "DEVICE_MISMATCH"));
    assertEquals(Map.of(BOB, mismatch(BOB, List.of(2), List.of(), List.of())), refused);
    refused = mismatches(expectError(alice.post("/v1/messages",
        request(group(BOB, forBob2), group(ALICE, forAlice2)), true), 409, "DEVICE_MISMATCH"));
    assertEquals(Map.of(BOB, mismatch(BOB, List.of(1, 3), List.of(), List.of())), refused);
    // extra
    refused = mismatches(expectError(alice.post("/v1/messages",
        request(group(BOB, forBob, forBob7, forBob2, forBob3), group(ALICE, forAlice2)), true), 409,
        "DEVICE_MISMATCH"));
    assertEquals(Map.of(BOB, mismatch(BOB, List.of(), List.of(7), List.of())), refused);
    // stale
    refused = mismatches(expectError(alice.post("/v1/messages",
        request(group(BOB, forBobStale, forBob2, forBob3), group(ALICE, forAlice2)), true), 409, "DEVICE_MISMATCH"));
    assertEquals(Map.of(BOB, mismatch(BOB, List.of(), List.of(), List.of(1))), refused);
    // the sender's own account: its other devices are required, the sending device is not accepted
    refused = mismatches(expectError(alice.post("/v1/messages",
        request(group(BOB, forBob, forBob2, forBob3)), true), 409, "DEVICE_MISMATCH"));
    assertEquals(Map.of(ALICE, mismatch(ALICE, List.of(2), List.of(), List.of())), refused);
    refused = mismatches(expectError(alice.post("/v1/messages",
        request(group(BOB, forBob, forBob2, forBob3), group(ALICE, forAlice1, forAlice2)), true), 409,
        "DEVICE_MISMATCH"));
    assertEquals(Map.of(ALICE, mismatch(ALICE, List.of(), List.of(1), List.of())), refused);
    // everything at once, in both accounts
    refused = mismatches(expectError(alice.post("/v1/messages",
        request(group(BOB, forBobStale, forBob7), group(ALICE, forAlice2Stale)), true), 409, "DEVICE_MISMATCH"));
    assertEquals(Map.of(BOB, mismatch(BOB, List.of(2, 3), List.of(7), List.of(1)),
        ALICE, mismatch(ALICE, List.of(), List.of(), List.of(2))), refused);

    assertEquals(before, RelayState.of(relay, ALICE, BOB), "a refused send queues nothing");
    for (long id = 1; id <= 7; id++) {
      assertEquals(0, relay.queueSize(BOB, id));
      assertEquals(0, relay.queueSize(ALICE, id));
    }

    // The same request with the right devices goes through.
    expect(alice.post("/v1/messages", request(group(BOB, forBob, forBob2, forBob3), group(ALICE, forAlice2)), true),
        200);
    assertEquals(List.of(1L, 1L, 1L, 1L), List.of(relay.queueSize(BOB, 1), relay.queueSize(BOB, 2),
        relay.queueSize(BOB, 3), relay.queueSize(ALICE, 2)));
  }

  @Test
  void aDeviceLinkedButNotYetListedIsNeitherRequiredNorAccepted() throws Exception {
    TestDevice bob2 = bob.linkUnlisted(2);
    expectError(alice.get("/v1/keys/" + bob.path() + "/2"), 404, "UNKNOWN_DEVICE");
    assertEquals(1, expect(alice.get("/v1/keys/" + bob.path()), 200).getJsonArray("devices").size());
    assertEquals(1, expect(alice.get("/v1/accounts/" + bob.path()), 200).getJsonArray("devices").size());

    expect(alice.send("only the listed one", bob), 200);
    assertEquals(1, relay.queueSize(BOB, 1));
    assertEquals(0, relay.queueSize(BOB, 2));

    JsonObject forBob = alice.encryptFor(bob, "y");
    JsonObject forBob2 = forBob.copy().put("deviceId", 2).put("registrationId", bob2.registrationId);
    Map<String, JsonObject> refused = mismatches(expectError(alice.post("/v1/messages",
        request(group(BOB, forBob, forBob2)), true), 409, "DEVICE_MISMATCH"));
    assertEquals(Map.of(BOB, mismatch(BOB, List.of(), List.of(2), List.of())), refused);
    assertEquals(0, relay.queueSize(BOB, 2));

    // Once the primary signed it in, it is required.
    bob.addToList(bob2, 2);
    refused = mismatches(expectError(alice.post("/v1/messages", request(group(BOB, forBob)), true), 409,
        "DEVICE_MISMATCH"));
    assertEquals(Map.of(BOB, mismatch(BOB, List.of(2), List.of(), List.of())), refused);
    expect(alice.send("both now", bob, bob2), 200);
    assertEquals(1, relay.queueSize(BOB, 2));
  }

  @Test
  void anUnknownAccountIsNotFoundAndNothingIsQueued() throws Exception {
    JsonObject forBob = alice.encryptFor(bob, "z");
    JsonObject before = RelayState.of(relay, ALICE, BOB, CAROL);

    expectError(alice.post("/v1/messages", request(group(CAROL, forBob)), true), 404, "UNKNOWN_ACCOUNT");
    expectError(alice.post("/v1/messages", request(group(ALICE), group(CAROL, forBob)), true), 404,
        "UNKNOWN_ACCOUNT");
    expectError(alice.get("/v1/keys/%2B15550200003"), 404, "UNKNOWN_ACCOUNT");
    expectError(alice.get("/v1/accounts/%2B15550200003"), 404, "UNKNOWN_ACCOUNT");

    assertEquals(before, RelayState.of(relay, ALICE, BOB, CAROL));
  }

  @Test
  void aMessagesKindMustMatchItsContent() throws Exception {
    JsonObject prekeyMessage = alice.encryptFor(bob, "a prekey message");
    byte[] content = TestDevice.unb64(prekeyMessage.getString("content"));
    // the inner ratchet message of a prekey message: version, type, ...
    byte[] ratchet = Bytes.slice(content, 2 + 64 + 32 + 8, content.length);
    assertEquals(1, ratchet[1]);
    byte[] provisioning = content.clone();
    provisioning[1] = 0x10;
    byte[] otherVersion = content.clone();
    otherVersion[0] = 2;
    JsonObject before = RelayState.of(relay, ALICE, BOB);

    for (JsonObject bad : List.of(
        prekeyMessage.copy().put("kind", Envelope.KIND_RATCHET_MESSAGE),
        prekeyMessage.copy().put("kind", Envelope.KIND_PREKEY_MESSAGE).put("content", b64(ratchet)),
        prekeyMessage.copy().put("content", b64(provisioning)),
        prekeyMessage.copy().put("content", b64(otherVersion)),
        prekeyMessage.copy().put("content", b64(new byte[] {1})),
        prekeyMessage.copy().put("kind", Envelope.KIND_DELIVERY_RECEIPT))) {
      expectError(alice.post("/v1/messages", request(group(BOB, bad)), true), 400, "INVALID_REQUEST");
    }
    assertEquals(before, RelayState.of(relay, ALICE, BOB));

    expect(alice.post("/v1/messages", request(group(BOB,
        prekeyMessage.copy().put("kind", Envelope.KIND_RATCHET_MESSAGE).put("content", b64(ratchet)))), true), 200);
    assertEquals(1, relay.queueSize(BOB, 1), "the relay cannot read a message, only its type");
  }

  @Test
  void aSendReachesOneOtherAccountAtMost() throws Exception {
    TestDevice carol = new TestDevice(relay, CAROL).registerAsPrimary(relay);
    JsonObject forBob = alice.encryptFor(bob, "one");
    JsonObject forCarol = alice.encryptFor(carol, "two");
    JsonObject before = RelayState.of(relay, ALICE, BOB, CAROL);

    expectError(alice.post("/v1/messages", request(group(BOB, forBob), group(CAROL, forCarol)), true), 400,
        "INVALID_REQUEST");

    assertEquals(before, RelayState.of(relay, ALICE, BOB, CAROL));
  }

  @Test
  void concurrentSendsToAConnectedDeviceAreEachDeliveredOnce() throws Exception {
    TestDevice carol = new TestDevice(relay, CAROL).registerAsPrimary(relay);
    int perSender = 120;
    int lanes = 6;
    List<JsonObject> fromAlice = new ArrayList<>();
    List<JsonObject> fromCarol = new ArrayList<>();
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < perSender; i++) {
      fromAlice.add(alice.sendRequest(TestDevice.messageId(), "alice " + i, List.of(bob)));
      fromCarol.add(carol.sendRequest(TestDevice.messageId(), "carol " + i, List.of(bob)));
      expected.add("alice " + i);
      expected.add("carol " + i);
    }

    try (TestDevice.Delivery inbox = bob.connect()) {
      inbox.event("queue-empty");
      List<Future<Void>> senders = new ArrayList<>();
      for (int lane = 0; lane < lanes; lane++) {
        senders.add(sendInTurn(alice, fromAlice, lane, lanes));
        senders.add(sendInTurn(carol, fromCarol, lane, lanes));
      }
      Map<String, Integer> seen = new HashMap<>();
      Set<String> messageIds = new HashSet<>();
      long lastSeq = 0;
      for (int i = 0; i < 2 * perSender; i++) {
        TestDevice.Delivered delivered = inbox.envelope();
        assertTrue(delivered.seq() > lastSeq, "envelopes come oldest first");
        lastSeq = delivered.seq();
        inbox.ack(delivered.seq());
        assertTrue(messageIds.add(b64(delivered.envelope().messageId())), "delivered twice: seq " + delivered.seq());
        seen.merge(bob.decrypt(delivered.envelope()), 1, Integer::sum);
      }
      for (Future<Void> sender : senders) {
        await(sender);
      }
      assertEquals(expected, seen.keySet());
      inbox.expectSentinelNext(alice, "nothing more, and nothing twice");
      long deadline = System.currentTimeMillis() + 10_000;
      while (relay.queueSize(BOB, 1) > 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(0, relay.queueSize(BOB, 1), "every acknowledged envelope left the queue");
    }
  }

  /**
   * A device acknowledges everything as it comes and hangs up as soon as its queue is empty: the
   * acknowledgements count, and the relay, finishing them on a socket that is closing, logs no error.
   */
  @Test
  void aDeviceThatHangsUpWithAcknowledgementsInFlightCausesNoError() throws Exception {
    ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        org.slf4j.Logger.ROOT_LOGGER_NAME);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
        new ch.qos.logback.core.read.ListAppender<>();
    logged.start();
    root.addAppender(logged);
    try {
      for (int round = 0; round < 4; round++) {
        for (int i = 0; i < 40; i++) {
          expect(alice.send("message " + i, bob), 200);
        }
        try (TestDevice.Delivery inbox = bob.connect()) {
          assertEquals(40, inbox.receiveUntilQueueEmpty(10_000).size());
        }
        awaitQueue(ALICE, 40); // bob's receipts: acknowledging them makes nothing new, so it is quick
        try (TestDevice.Delivery inbox = alice.connect()) {
          assertEquals(40, inbox.receiveUntilQueueEmpty(10_000).size());
        }
        awaitQueue(ALICE, 0);
        awaitQueue(BOB, 0);
        long deadline = System.currentTimeMillis() + 10_000;
        while (relay.server.connections().size() > 0 && System.currentTimeMillis() < deadline) {
          Thread.sleep(10);
        }
        assertEquals(0, relay.server.connections().size());
      }
    } finally {
      root.detachAppender(logged);
    }
    List<String> problems = logged.list.stream()
        .filter(event -> event.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN))
        .map(event -> event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
            : ": " + event.getThrowableProxy().getMessage()))
        .toList();
    assertEquals(List.of(), problems);
  }

  private void awaitQueue(String number, long size) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (relay.queueSize(number, 1) != size && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(size, relay.queueSize(number, 1));
  }

  /** Sends every {@code lanes}-th request from {@code first}, one after the other. */
  private static Future<Void> sendInTurn(TestDevice sender, List<JsonObject> requests, int first, int lanes) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = first; i < requests.size(); i += lanes) {
      JsonObject request = requests.get(i);
      chain = chain.compose(v -> sender.postAsync("/v1/messages", request, true).map(response -> {
        if (response.statusCode() != 200) {
          throw new AssertionError("send refused: " + response.statusCode() + " " + response.bodyAsString());
        }
        return null;
      }));
    }
    return chain;
  }
}
