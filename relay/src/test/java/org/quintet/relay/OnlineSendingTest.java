package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.expect;
import static org.quintet.relay.TestDevice.expectError;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.Envelope;

/**
 * {@code "online": true}: a send for the devices connected at that moment, checked like any other
 * and queued for none, so a device that is not connected never gets it, and no receipt comes of it.
 */
class OnlineSendingTest {
  private static final String ALICE = "+15550300001";
  private static final String BOB = "+15550300002";

  @TempDir
  Path data;
  TestRelay relay;
  TestDevice alice;
  TestDevice bob;

  @BeforeEach
  void start() throws Exception {
    // A queue holds one envelope: an online send must go through whatever the queues hold.
    relay = TestRelay.start(data, new JsonObject().put("limits", new JsonObject()
        .put("maxQueuedEnvelopesPerDevice", 1)));
    alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
  }

  private static JsonObject online(JsonObject send) {
    return send.put("online", true);
  }

  private static JsonArray connected(String number, long... deviceIds) {
    JsonArray devices = new JsonArray();
    for (long id : deviceIds) {
      devices.add(new JsonObject().put("number", number).put("deviceId", id));
    }
    return devices;
  }

  /**
   * Proves that nothing else was on its way to {@code device}: a sentinel Alice sends now to
   * {@code everyone} (the devices a send must name) is the next envelope, and is acknowledged.
   */
  private byte[] expectSentinelNext(TestDevice.Delivery inbox, TestDevice device, List<TestDevice> everyone, String why)
      throws Exception {
    byte[] sentinel = TestDevice.messageId();
    expect(alice.post("/v1/messages", alice.sendRequest(sentinel, "sentinel", everyone), true), 200);
    TestDevice.Delivered next = inbox.envelope();
    assertEquals("sentinel", device.decrypt(next.envelope()), why);
    inbox.ack(next.seq());
    return sentinel;
  }

  @Test
  void anOnlineSendReachesTheConnectedDeviceAndNothingIsQueuedForTheOthers() throws Exception {
    TestDevice bobLaptop = bob.linkCompanion(2);
    try (TestDevice.Delivery aliceInbox = alice.connect(); TestDevice.Delivery bobInbox = bob.connect()) {
      aliceInbox.event("queue-empty");
      bobInbox.event("queue-empty");

      byte[] messageId = TestDevice.messageId();
      JsonObject answer = expect(alice.post("/v1/messages",
          online(alice.sendRequest(messageId, "typing", List.of(bob, bobLaptop))), true), 200);
      assertEquals(connected(BOB, 1), answer.getJsonArray("connected"), "only Bob's phone was connected");

      TestDevice.Delivered typing = bobInbox.envelope();
      assertTrue(typing.online(), "an online frame, with no seq to acknowledge");
      Envelope envelope = typing.envelope();
      assertArrayEquals(messageId, envelope.messageId());
      assertEquals(ALICE, envelope.source());
      assertEquals(1, envelope.destinationDevice());
      assertEquals(answer.getLong("serverTimestamp"), envelope.serverTimestamp());
      assertEquals("typing", bob.decrypt(envelope));
      for (long id = 1; id <= 2; id++) {
        assertEquals(0, relay.queueSize(BOB, id), "nothing queued for Bob's device " + id);
      }
      assertEquals(0, relay.queueSize(ALICE, 1));

      try (TestDevice.Delivery laptopInbox = bobLaptop.connect()) {
        byte[] sentinel = expectSentinelNext(laptopInbox, bobLaptop, List.of(bob, bobLaptop),
            "a device that was not connected never gets the online envelope");
        TestDevice.Delivered next = bobInbox.envelope();
        assertEquals("sentinel", bob.decrypt(next.envelope()), "the online envelope came once");
        bobInbox.ack(next.seq());
        // Alice hears of the sentinel from both of Bob's devices, and of the online envelope never.
        for (TestDevice.Delivered receipt : aliceInbox.receive(2)) {
          assertEquals(Envelope.KIND_DELIVERY_RECEIPT, receipt.envelope().kind());
          assertArrayEquals(sentinel, receipt.envelope().messageId());
        }
      }
    }
  }

  @Test
  void anOnlineSendGoesThroughWhatTheQueuesHold() throws Exception {
    expect(alice.send("queued", bob), 200);
    expectError(alice.send("no room", bob), 507, "QUEUE_FULL");
    try (TestDevice.Delivery bobInbox = bob.connect()) {
      TestDevice.Delivered queued = bobInbox.envelope();
      assertEquals("queued", bob.decrypt(queued.envelope()));
      // Not acknowledged: the queue stays full.
      JsonObject answer = expect(alice.post("/v1/messages",
          online(alice.sendRequest(TestDevice.messageId(), "typing", List.of(bob))), true), 200);
      assertEquals(connected(BOB, 1), answer.getJsonArray("connected"));
      TestDevice.Delivered typing = bobInbox.envelope();
      assertTrue(typing.online());
      assertEquals("typing", bob.decrypt(typing.envelope()));
      assertEquals(1, relay.queueSize(BOB, 1), "the queue holds what it held");
      bobInbox.ack(queued.seq());
      long deadline = System.currentTimeMillis() + 10_000;
      while (relay.queueSize(BOB, 1) > 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      expectSentinelNext(bobInbox, bob, List.of(bob), "nothing else came");
    }
  }

  @Test
  void anOnlineSendIsCheckedLikeAnyOtherAndRefusedWhole() throws Exception {
    TestDevice bobLaptop = bob.linkCompanion(2);
    try (TestDevice.Delivery bobInbox = bob.connect()) {
      bobInbox.event("queue-empty");
      JsonObject refusal = expectError(alice.post("/v1/messages",
          online(alice.sendRequest(TestDevice.messageId(), "typing", List.of(bob))), true), 409, "DEVICE_MISMATCH");
      assertEquals(List.of(2), refusal.getJsonArray("mismatches").getJsonObject(0).getJsonArray("missing").getList());
      JsonObject stale = online(alice.sendRequest(TestDevice.messageId(), "typing", List.of(bob, bobLaptop)));
      stale.getJsonArray("recipients").getJsonObject(0).getJsonArray("messages").getJsonObject(1)
          .put("registrationId", bobLaptop.registrationId % 1000 + 1);
      expectError(alice.post("/v1/messages", stale, true), 409, "DEVICE_MISMATCH");
      expectError(alice.post("/v1/messages",
          online(alice.sendRequest(TestDevice.messageId(), "typing", List.of(bob, bobLaptop))), false), 401,
          "UNAUTHORIZED");
      expectSentinelNext(bobInbox, bob, List.of(bob, bobLaptop), "a refused online send reaches nobody");
    }
  }

  @Test
  void aSyncMessageMayBeOnline() throws Exception {
    TestDevice aliceLaptop = alice.linkCompanion(2);
    try (TestDevice.Delivery laptopInbox = aliceLaptop.connect()) {
      laptopInbox.event("queue-empty");
      JsonObject sync = online(alice.sendRequest(TestDevice.messageId(), "draft", List.of(aliceLaptop)))
          .put("sync", true);
      assertEquals(connected(ALICE, 2), expect(alice.post("/v1/messages", sync, true), 200).getJsonArray("connected"));
      TestDevice.Delivered draft = laptopInbox.envelope();
      assertTrue(draft.online());
      assertEquals("draft", aliceLaptop.decrypt(draft.envelope()));
      assertEquals(0, relay.queueSize(ALICE, 2));
    }
  }

  @Test
  void badOnlineSendsAreRefusedAndReachNobody() throws Exception {
    alice.sessionWith(bob);
    try (TestDevice.Delivery bobInbox = bob.connect()) {
      bobInbox.event("queue-empty");
      JsonObject before = RelayState.of(relay, ALICE, BOB);
      for (Object value : new Object[] {"true", 1, 0, new JsonArray(), new JsonObject(), null}) {
        JsonObject send = alice.sendRequest(TestDevice.messageId(), "typing", List.of(bob)).put("online", value);
        JsonObject refusal = expectError(alice.post("/v1/messages", send, true), 400, "INVALID_REQUEST");
        assertTrue(refusal.getString("message").contains("\"online\""), refusal.encode());
      }
      JsonObject withTtl = online(alice.sendRequest(TestDevice.messageId(), "typing", List.of(bob)))
          .put("ttlSeconds", 60);
      JsonObject refusal = expectError(alice.post("/v1/messages", withTtl, true), 400, "INVALID_REQUEST");
      assertTrue(refusal.getString("message").contains("\"ttlSeconds\""), refusal.encode());
      JsonObject large = online(alice.sendRequest(TestDevice.messageId(),
          "x".repeat(RelayLimits.MAX_ONLINE_CONTENT), List.of(bob)));
      expectError(alice.post("/v1/messages", large, true), 413, "TOO_LARGE");
      assertEquals(before, RelayState.of(relay, ALICE, BOB), "nothing was queued or changed");
      expectSentinelNext(bobInbox, bob, List.of(bob), "a refused online send reaches nobody");
    }
  }
}
