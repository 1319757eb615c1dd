package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.expect;
import static org.quintet.relay.TestDevice.expectError;
import static org.quintet.relay.TestRelay.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.Envelope;
import org.quintet.relay.storage.StoredEnvelope;

/**
 * {@code "ttlSeconds": N}: an envelope waits in its queue for N seconds at most; past that it is
 * never delivered, the queue goes on to the next one, and the sender gets no receipt for it.
 */
class MessageTtlTest {
  private static final String ALICE = "+15550400001";
  private static final String BOB = "+15550400002";

  @TempDir
  Path data;
  TestRelay relay;

  @AfterEach
  void stop() throws Exception {
    relay.close();
  }

  private JsonObject sendWithTtl(TestDevice from, byte[] messageId, String text, TestDevice to, Object ttlSeconds)
      throws Exception {
    return from.sendRequest(messageId, text, List.of(to)).put("ttlSeconds", ttlSeconds);
  }

  @Test
  void anEnvelopePastItsTtlIsNotDeliveredAfterAnOutageAndItsQueueMovesOn() throws Exception {
    relay = TestRelay.start(data);
    TestDevice alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    TestDevice bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
    long serverTimestamp = expect(alice.post("/v1/messages",
        sendWithTtl(alice, TestDevice.messageId(), "call me now", bob, 1), true), 200).getLong("serverTimestamp");
    StoredEnvelope stored = await(relay.storage.peek(BOB, 1, 0, 10)).get(0);
    assertEquals(serverTimestamp + 1000, stored.expiresAt(), "stored with its own expiry");
    byte[] later = TestDevice.messageId();
    expect(alice.post("/v1/messages", alice.sendRequest(later, "later", List.of(bob)), true), 200);

    // The relay is down while the first envelope's second passes, on the clock of the machine.
    relay.close();
    Thread.sleep(2100);
    relay = TestRelay.start(data);
    alice.attach(relay);
    bob.attach(relay);

    try (TestDevice.Delivery bobInbox = bob.connect()) {
      List<TestDevice.Delivered> delivered = bobInbox.receiveUntilQueueEmpty(10_000);
      assertEquals(1, delivered.size(), "only the envelope still within its time");
      assertArrayEquals(later, delivered.get(0).envelope().messageId());
      assertEquals("later", bob.decrypt(delivered.get(0).envelope()));
      awaitQueueSize(BOB, 1, 0);
      assertEquals(0L, await(relay.storage.purgeExpired(relay.clock.millis())),
          "the connection removed the expired envelope it met; nothing was left for the purge");
    }
    try (TestDevice.Delivery aliceInbox = alice.connect()) {
      TestDevice.Delivered receipt = aliceInbox.envelope();
      assertEquals(Envelope.KIND_DELIVERY_RECEIPT, receipt.envelope().kind());
      assertArrayEquals(later, receipt.envelope().messageId(), "a receipt for the delivered envelope only");
      aliceInbox.ack(receipt.seq());
      aliceInbox.expectSentinelNext(bob, "no receipt for the expired envelope");
    }
  }

  @Test
  void anEnvelopeTakenButNotAcknowledgedIsNotSentAgainOnceItsTtlPassed() throws Exception {
    relay = TestRelay.start(data);
    TestDevice alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    TestDevice bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
    try (TestDevice.Delivery bobInbox = bob.connect()) {
      bobInbox.event("queue-empty");
      TestDevice.Delivered first = null;
      for (String text : List.of("one", "two")) {
        expect(alice.post("/v1/messages", sendWithTtl(alice, TestDevice.messageId(), text, bob, 1), true), 200);
        TestDevice.Delivered delivered = bobInbox.envelope();
        assertEquals(text, bob.decrypt(delivered.envelope()));
        first = first == null ? delivered : first;
      }
      // "one" was taken in but not acknowledged; "two" is dropped unacknowledged. Both pass their time.
      relay.clock.advance(Duration.ofSeconds(2));
      bobInbox.ack(first.seq());
    }
    try (TestDevice.Delivery bobInbox = bob.connect()) {
      assertEquals(List.of(), bobInbox.receiveUntilQueueEmpty(10_000), "an expired envelope is not sent again");
      awaitQueueSize(BOB, 1, 0);
    }
  }

  @Test
  void badTtlsAreRefusedAndNothingIsQueued() throws Exception {
    relay = TestRelay.start(data, new JsonObject().put("limits", new JsonObject().put("queueTtlDays", 2)));
    TestDevice alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    TestDevice bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
    alice.sessionWith(bob);
    JsonObject before = RelayState.of(relay, ALICE, BOB);
    long lifetime = Duration.ofDays(2).toSeconds();
    for (Object ttl : new Object[] {0, -1, lifetime + 1, 1.5, 60.0, "60", true, null, new JsonArray()}) {
      JsonObject refusal = expectError(alice.post("/v1/messages",
          sendWithTtl(alice, TestDevice.messageId(), "x", bob, ttl), true), 400, "INVALID_REQUEST");
      assertTrue(refusal.getString("message").contains("\"ttlSeconds\" must be an integer 1.." + lifetime),
          ttl + ": " + refusal.encode());
    }
    assertEquals(before, RelayState.of(relay, ALICE, BOB), "nothing was queued");

    long serverTimestamp = expect(alice.post("/v1/messages",
        sendWithTtl(alice, TestDevice.messageId(), "as long as a queue keeps anything", bob, lifetime), true), 200)
        .getLong("serverTimestamp");
    assertEquals(serverTimestamp + Duration.ofDays(2).toMillis(),
        await(relay.storage.peek(BOB, 1, 0, 10)).get(0).expiresAt());
  }

  private void awaitQueueSize(String number, long deviceId, long size) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (relay.queueSize(number, deviceId) != size && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(size, relay.queueSize(number, deviceId));
  }
}
