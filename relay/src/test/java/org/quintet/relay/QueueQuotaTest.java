package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quintet.relay.TestDevice.expect;
import static org.quintet.relay.TestDevice.expectError;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.Envelope;

/**
 * The per-device queue quota, through the API: a send that would take any of its devices' queues
 * past the quota is refused whole with 507 QUEUE_FULL (whose queue, which limit), nothing of it is
 * queued for anyone, racing senders never get past it, and the device taking its messages makes
 * room again.
 */
class QueueQuotaTest {
  private static final String ALICE = "+15550800001";
  private static final String BOB = "+15550800002";
  private static final String CAROL = "+15550800003";

  @TempDir
  Path data;
  TestRelay relay;

  @AfterEach
  void stop() throws Exception {
    if (relay != null) {
      relay.close();
    }
  }

  private void start(int maxEnvelopes, int maxBytes) throws Exception {
    relay = TestRelay.start(data, new JsonObject().put("limits", new JsonObject()
        .put("maxQueuedEnvelopesPerDevice", maxEnvelopes).put("maxQueuedBytesPerDevice", maxBytes)));
  }

  private static JsonObject queue(String number, long deviceId, String limit, long max) {
    return new JsonObject().put("number", number).put("deviceId", deviceId).put("limit", limit).put("max", max);
  }

  @Test
  void aSendPastADevicesQuotaOfEnvelopesIsRefusedWholeUntilTheDeviceTakesItsMessages() throws Exception {
    start(3, Envelope.MAX_LENGTH);
    TestDevice alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    TestDevice alice2 = alice.linkCompanion(2);
    TestDevice bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
    TestDevice carol = new TestDevice(relay, CAROL).registerAsPrimary(relay);
    for (int i = 0; i < 3; i++) {
      expect(carol.send("message " + i, bob), 200);
    }
    // Made first: making it fetches prekeys, which is not part of what the send changes.
    JsonObject oneTooMany = alice.sendRequest(TestDevice.messageId(), "one too many", List.of(bob, alice2));
    JsonObject before = RelayState.of(relay, ALICE, BOB, CAROL);

    JsonObject refused = expectError(alice.post("/v1/messages", oneTooMany, true), 507, "QUEUE_FULL");

    assertEquals(new JsonArray().add(queue(BOB, 1, "envelopes", 3)), refused.getJsonArray("queues"));
    assertEquals(before, RelayState.of(relay, ALICE, BOB, CAROL), "nothing queued, not even the sender's own copy");
    // Bob's full queue holds what others send him, not what he sends.
    expect(bob.send("bob's answer", alice, alice2), 200);

    try (TestDevice.Delivery inbox = bob.connect()) {
      inbox.receive(1);
      long deadline = System.currentTimeMillis() + 5000;
      while (relay.queueSize(BOB, 1) != 2 && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
    }
    expect(alice.send("room again", bob, alice2), 200);
    expectError(alice.send("full again", bob, alice2), 507, "QUEUE_FULL");
  }

  @Test
  void aSendPastADevicesQuotaOfBytesIsRefusedAndNamesTheLimit() throws Exception {
    start(1000, Envelope.MAX_LENGTH);
    TestDevice alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    TestDevice bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
    TestDevice bob2 = bob.linkCompanion(2);
    String big = "x".repeat(100_000);
    expect(alice.send(big, bob, bob2), 200);
    expect(alice.send(big, bob, bob2), 200);

    JsonObject refused = expectError(alice.send(big, bob, bob2), 507, "QUEUE_FULL");

    JsonArray queues = refused.getJsonArray("queues");
    assertEquals(new JsonArray().add(queue(BOB, 1, "bytes", Envelope.MAX_LENGTH))
        .add(queue(BOB, 2, "bytes", Envelope.MAX_LENGTH)), queues);
    assertEquals(2, relay.queueSize(BOB, 1));
    expect(alice.send("a short one still fits", bob, bob2), 200);
  }

  /** Twenty sends at once for a device with room for five: five are queued, for every device of the send. */
  @Test
  void racingSendersGetExactlyTheRoomThatIsLeft() throws Exception {
    start(5, Envelope.MAX_LENGTH);
    TestDevice alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    TestDevice alice2 = alice.linkCompanion(2);
    TestDevice bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
    List<JsonObject> requests = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      requests.add(alice.sendRequest(TestDevice.messageId(), "racer " + i, List.of(bob, alice2)));
    }

    List<Future<HttpResponse<Buffer>>> sends = new ArrayList<>();
    requests.forEach(request -> sends.add(alice.postAsync("/v1/messages", request, true)));
    int accepted = 0;
    int full = 0;
    for (Future<HttpResponse<Buffer>> send : sends) {
      HttpResponse<Buffer> answer = TestRelay.await(send);
      if (answer.statusCode() == 200) {
        accepted++;
      } else {
        expectError(answer, 507, "QUEUE_FULL");
        full++;
      }
    }

    assertEquals(5, accepted);
    assertEquals(15, full);
    assertEquals(5, relay.queueSize(BOB, 1));
    assertEquals(5, relay.queueSize(ALICE, 2));
  }
}
