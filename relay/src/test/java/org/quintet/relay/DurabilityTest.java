package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.b64;
import static org.quintet.relay.TestDevice.expect;
import static org.quintet.relay.TestRelay.await;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.X25519KeyPair;
import org.quintet.relay.storage.StoredEnvelope;

/** What the relay keeps survives a restart and a kill, holds no plaintext, and expires. */
class DurabilityTest {
  private static final String ALICE = "+15550500001";
  private static final String BOB = "+15550500002";

  @TempDir
  Path data;
  /** The relay node running in this JVM, if any: each test closes what it started, and this closes the rest. */
  TestRelay relay;
  RelayProcess child;
  Vertx clientVertx;

  @AfterEach
  void stop() throws Exception {
    try {
      if (child != null) {
        child.close();
      }
    } finally {
      if (relay != null) {
        relay.close();
      }
      if (clientVertx != null) {
        await(clientVertx.close());
      }
    }
  }

  @Test
  void queuedEnvelopesSurviveARestartAndAreDeliveredOnceInOrder() throws Exception {
    relay = TestRelay.start(data);
    TestDevice alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    TestDevice bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
    int count = 40;
    List<String> sentIds = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] messageId = TestDevice.messageId();
      sentIds.add(b64(messageId));
      expect(alice.post("/v1/messages", alice.sendRequest(messageId, "message " + i, List.of(bob)), true), 200);
    }
    assertEquals(count, relay.queueSize(BOB, 1));

    relay.close();
    relay = TestRelay.start(data);
    alice.attach(relay);
    bob.attach(relay);

    // The token from before the restart still works: the relay's key is kept with the data.
    List<TestDevice.Delivered> delivered;
    try (TestDevice.Delivery inbox = bob.connect()) {
      delivered = inbox.receiveUntilQueueEmpty(20_000);
      assertTrue(inbox.nextEnvelope(200).isEmpty());
    }
    assertEquals(count, delivered.size());
    long lastSeq = 0;
    for (int i = 0; i < count; i++) {
      TestDevice.Delivered d = delivered.get(i);
      assertTrue(d.seq() > lastSeq, "oldest first");
      lastSeq = d.seq();
      assertEquals(sentIds.get(i), b64(d.envelope().messageId()), "in the order sent");
      assertEquals(ALICE, d.envelope().source());
      assertEquals("message " + i, bob.decrypt(d.envelope()));
    }
    awaitQueueSize(BOB, 1, 0);

    try (TestDevice.Delivery again = bob.connect()) {
      again.event("queue-empty");
      assertTrue(again.nextEnvelope(300).isEmpty(), "acknowledged envelopes are not delivered again");
    }

    // The receipts those acknowledgements made survive a restart too.
    relay.close();
    relay = TestRelay.start(data);
    alice.attach(relay);
    bob.attach(relay);
    try (TestDevice.Delivery inbox = alice.connect()) {
      List<TestDevice.Delivered> receipts = inbox.receiveUntilQueueEmpty(20_000);
      assertEquals(count, receipts.size());
      Set<String> receipted = new HashSet<>();
      for (TestDevice.Delivered receipt : receipts) {
        assertEquals(Envelope.KIND_DELIVERY_RECEIPT, receipt.envelope().kind());
        assertEquals(BOB, receipt.envelope().source());
        receipted.add(b64(receipt.envelope().messageId()));
      }
      assertEquals(new HashSet<>(sentIds), receipted);
    }
    try (TestDevice.Delivery inbox = bob.connect()) {
      inbox.event("queue-empty");
      assertTrue(inbox.nextEnvelope(200).isEmpty());
    }
  }

  @Test
  @Timeout(180)
  void everyAcknowledgedSendSurvivesAKillOfTheRelayProcess() throws Exception {
    Path dataDir = data.resolve("relay");
    Path config = data.resolve("quintet.json");
    // Senders here keep sending as fast as the relay answers, as no person does: how many a device
    // may send is AbuseLimitsTest's.
    Files.writeString(config, new JsonObject().put("verification", new JsonObject().put("sender", "log"))
        .put("rateLimits", new JsonObject().put("sendsPerDevice", new JsonObject().put("bucketSize", 1_000_000)
            .put("refillSeconds", 1))).encode());
    clientVertx = Vertx.vertx();
    child = RelayProcess.start(dataDir, config);
    String url = child.url();
    child.awaitHealthy(clientVertx);
    TestDevice alice = new TestDevice(clientVertx, url, ALICE).registerAsPrimary(child::codeFor);
    TestDevice bob = new TestDevice(clientVertx, url, BOB).registerAsPrimary(child::codeFor);

    // Real ciphertexts, made before the clock starts: a few thousand is more than a few seconds take.
    int prepared = 6000;
    SendLanes sending = SendLanes.prepare(alice, List.of(bob), prepared);

    sending.start(8);
    long started = System.currentTimeMillis();
    long deadline = started + 30_000;
    while ((sending.acknowledged.size() < 300 || System.currentTimeMillis() - started < 2000)
        && System.currentTimeMillis() < deadline && sending.taken() < prepared - 100) {
      Thread.sleep(20);
    }
    int acknowledgedBeforeKill = sending.acknowledged.size();
    child.kill();
    sending.stop();
    assertEquals(0, sending.refused.get(), "the relay answered every send it answered with 200");
    assertTrue(acknowledgedBeforeKill >= 100, "the relay took " + acknowledgedBeforeKill + " sends before the kill");
    assertTrue(sending.failed.get() > 0, "sends were in flight when the relay was killed");

    child = RelayProcess.start(dataDir, config);
    String restarted = child.url();
    child.awaitHealthy(clientVertx);
    bob.attach(clientVertx, restarted);
    bob.login();
    List<TestDevice.Delivered> delivered;
    try (TestDevice.Delivery inbox = bob.connect()) {
      delivered = inbox.receiveUntilQueueEmpty(60_000);
    }
    Set<Integer> received = new HashSet<>();
    for (TestDevice.Delivered d : delivered) {
      Integer index = sending.indexOf(b64(d.envelope().messageId()));
      assertTrue(index != null && sending.attempted.contains(index), "a message that was never sent");
      assertTrue(received.add(index), "message " + index + " delivered twice");
    }
    Set<Integer> lost = new HashSet<>(sending.acknowledged);
    lost.removeAll(received);
    assertEquals(Set.of(), lost, "acknowledged with 200 but lost in the kill");
    assertTrue(received.size() <= sending.attempted.size());
  }


  @Test
  void noPlaintextOrPrivateKeyReachesTheDisk() throws Exception {
    relay = TestRelay.start(data);
    TestDevice alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    TestDevice alice2 = alice.linkCompanion(2);
    TestDevice bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
    String marker = "PLAINTEXT-MARKER-" + Bytes.hex(TestDevice.randomBytes(8));
    for (int i = 0; i < 20; i++) {
      expect(alice.send("a secret " + marker + " number " + i, bob, alice2), 200);
    }
    expect(bob.send("and back " + marker, alice, alice2), 200);
    // Bob reads and acknowledges half: some envelopes are deleted, some still queued.
    try (TestDevice.Delivery inbox = bob.connect()) {
      for (int i = 0; i < 10; i++) {
        TestDevice.Delivered delivered = inbox.envelope();
        assertTrue(bob.decrypt(delivered.envelope()).contains(marker), "the marker is in the plaintext");
        inbox.ack(delivered.seq());
      }
    }
    awaitQueueSize(BOB, 1, 10);

    Map<String, byte[]> secrets = new HashMap<>();
    secrets.put("the marker (UTF-8)", marker.getBytes(StandardCharsets.UTF_8));
    secrets.put("the marker (UTF-16LE)", marker.getBytes(StandardCharsets.UTF_16LE));
    secrets.put("the marker (UTF-16BE)", marker.getBytes(StandardCharsets.UTF_16BE));
    for (TestDevice device : List.of(alice, alice2, bob)) {
      secrets.put(device + " identity signing key", device.identity.signing().seed());
      secrets.put(device + " identity agreement key", device.identity.agreement().privateKey());
      X25519KeyPair signed = device.preKeyStore.signedPreKey(1);
      secrets.put(device + " signed prekey", signed.privateKey());
      for (long id = 1; id <= 20; id++) {
        X25519KeyPair oneTime = device.preKeyStore.oneTimePreKey(id);
        if (oneTime != null) {
          secrets.put(device + " one-time prekey " + id, oneTime.privateKey());
        }
      }
    }

    // While the relay runs (recent writes are in the WAL), and after it closed (checkpointed).
    assertNoneOnDisk(secrets, bob);
    relay.close();
    relay = null;
    assertNoneOnDisk(secrets, bob);
  }

  private void assertNoneOnDisk(Map<String, byte[]> secrets, TestDevice bob) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(data)) {
      files = walk.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.stream().anyMatch(f -> f.getFileName().toString().equals("relay.db")), files.toString());
    boolean publicKeyFound = false;
    for (Path file : files) {
      byte[] bytes = Files.readAllBytes(file);
      for (Map.Entry<String, byte[]> secret : secrets.entrySet()) {
        assertFalse(contains(bytes, secret.getValue()), secret.getKey() + " is in " + file);
      }
      publicKeyFound |= contains(bytes, bob.identity.publicKey().encode());
    }
    assertTrue(publicKeyFound, "the scan reads what the relay stored (bob's public identity key)");
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  @Test
  void queuedEnvelopesExpire() throws Exception {
    relay = TestRelay.start(data);
    TestDevice alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    TestDevice bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
    long sentAt = relay.clock.millis();
    expect(alice.send("old", bob), 200);
    StoredEnvelope old = await(relay.storage.peek(BOB, 1, 0, 10)).get(0);
    long serverTimestamp = Envelope.parse(old.envelope()).serverTimestamp();
    assertTrue(serverTimestamp >= sentAt);
    assertEquals(serverTimestamp + Duration.ofDays(30).toMillis(), old.expiresAt(), "queued for 30 days");

    relay.clock.advance(Duration.ofDays(20));
    alice.login();
    bob.login();
    expect(alice.send("new", bob), 200);
    assertEquals(0, await(relay.storage.purgeExpired(relay.clock.millis())), "nothing is 30 days old yet");
    assertEquals(2, relay.queueSize(BOB, 1));

    relay.clock.advance(Duration.ofDays(10));
    bob.login();
    try (TestDevice.Delivery inbox = bob.connect()) {
      List<TestDevice.Delivered> delivered = inbox.receiveUntilQueueEmpty(10_000);
      assertEquals(1, delivered.size(), "an expired envelope is not delivered, purged or not");
      // Bob never got the first message, so the second is still a prekey message he can open.
      assertEquals("new", bob.decrypt(delivered.get(0).envelope()));
    }
    awaitQueueSize(BOB, 1, 0);
    assertEquals(0, await(relay.storage.purgeExpired(relay.clock.millis())),
        "the connection took the expired envelope it met out of the queue");
    // Alice's queue is read by no connection: the purge takes what expires there.
    awaitQueueSize(ALICE, 1, 1);
    assertEquals(1, await(relay.storage.purgeExpired(relay.clock.millis() + Duration.ofDays(31).toMillis())),
        "the receipt bob's acknowledgement queued for alice expires too");
  }

  private void awaitQueueSize(String number, long deviceId, long size) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (relay.queueSize(number, deviceId) != size && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(size, relay.queueSize(number, deviceId));
  }
}
