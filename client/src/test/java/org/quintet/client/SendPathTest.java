package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;
import org.quintet.protocol.X3dh;

/**
 * The send path against a relay that lies: every device the client encrypts to must be vouched
 * for by its account's signed device list, or nothing is sent.
 */
class SendPathTest {
  private static final String ALICE_KEYS = "GET /v1/keys/%2B8801711000001/";
  private static final String BOB_ACCOUNT = "GET /v1/accounts/%2B8801811000002";
  private static final String BOB_KEYS = "GET /v1/keys/%2B8801811000002/";

  @TempDir
  Path dir;
  Vertx vertx;
  FakeRelay relay;
  final TestAccount alice = new TestAccount("+8801711000001", 2);
  final TestAccount bob = new TestAccount("+8801811000002", 2);
  final TestAccount mallory = new TestAccount("+8801911000003", 1);
  final byte[] aliceList = alice.list(2, 1, 2);

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    relay = FakeRelay.start(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    relay.close();
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Alice's primary, registered, knowing her own list (devices 1 and 2). */
  private QuintetClient alicePrimary() throws Exception {
    Path home = dir.resolve("alice");
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      store.startOver(alice.number, LocalStore.Status.CODE_REQUESTED);
      store.setIdentity(alice.primary(), TestAccount.registrationId(1));
      store.markRegistered(alice.number, 1, alice.accountKey());
      store.putAccount(alice.number, new KnownAccount(alice.accountKey(), aliceList,
          Map.of(1L, TestAccount.registrationId(1), 2L, TestAccount.registrationId(2))));
      store.save();
    }
    return QuintetClient.open(vertx, home, relay.url());
  }

  private static <T> T await(Future<T> future) throws Exception {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw (Exception) e.getCause();
    }
  }

  private static ProtocolError refusal(QuintetClient client, String to) throws Exception {
    try {
      await(client.sendText(to, "hello"));
    } catch (ProtocolException e) {
      return e.error();
    }
    return fail("the send was not refused");
  }

  /** The plaintext content of the copy for one device, opened with that device's keys. */
  private static Text open(JsonObject send, TestAccount account, long deviceId) throws Exception {
    for (Object group : send.getJsonArray("recipients")) {
      JsonObject recipient = (JsonObject) group;
      if (!recipient.getString("number").equals(account.number)) {
        continue;
      }
      for (Object copy : recipient.getJsonArray("messages")) {
        JsonObject message = (JsonObject) copy;
        if (message.getLong("deviceId") == deviceId) {
          assertEquals(Envelope.KIND_PREKEY_MESSAGE, message.getInteger("kind"));
          assertEquals(TestAccount.registrationId(deviceId), message.getInteger("registrationId"));
          byte[] content = Base64.getDecoder().decode(message.getString("content"));
          return (Text) Content.decode(X3dh.accept(KeySource.secure(), account.devices.get(deviceId),
              account.preKeys.get(deviceId), content).plaintext());
        }
      }
    }
    return fail("no copy for device " + deviceId + " of " + account.number);
  }

  @Test
  void fansOutToEveryListedDeviceOfBothAccounts() throws Exception {
    byte[] bobList = bob.list(1, 1);
    relay.answers.put(BOB_ACCOUNT, bob.accountAnswer(bobList, 1));
    relay.answers.put(BOB_KEYS + 1, bob.keysAnswer(bobList, 1, bob, 1));
    relay.answers.put(ALICE_KEYS + 2, alice.keysAnswer(aliceList, 2, alice, 2));
    try (QuintetClient client = alicePrimary()) {
      SentMessage sent = await(client.sendText(bob.number, "hello bob"));
      assertEquals(2, sent.devices());
      JsonObject send = relay.sends.get(0);
      assertEquals(sent.id(), org.quintet.protocol.Bytes.hex(Base64.getDecoder().decode(send.getString("messageId"))));
      Text forBob = open(send, bob, 1);
      assertEquals("hello bob", forBob.body());
      assertNull(forBob.peer(), "the recipient's copy does not name a peer");
      Text forCompanion = open(send, alice, 2);
      assertEquals("hello bob", forCompanion.body());
      assertEquals(bob.number, forCompanion.peer(), "the sender's other devices learn which chat it belongs to");
      assertEquals("hello bob", client.store().history().get(0).body());
    }
  }

  @Test
  void aBundleTheListDoesNotVouchForIsRefusedAndNothingIsSent() throws Exception {
    byte[] bobList = bob.list(1, 1);
    relay.answers.put(BOB_ACCOUNT, bob.accountAnswer(bobList, 1));
    relay.answers.put(BOB_KEYS + 1, bob.keysAnswer(bobList, 1, mallory, 1));
    relay.answers.put(ALICE_KEYS + 2, alice.keysAnswer(aliceList, 2, alice, 2));
    try (QuintetClient client = alicePrimary()) {
      assertEquals(ProtocolError.UNTRUSTED_DEVICE, refusal(client, bob.number));
      assertTrue(relay.sends.isEmpty());
      assertTrue(client.store().session(bob.number, 1).isEmpty());
    }
  }

  @Test
  void aDeviceTheListDoesNotHoldIsRefused() throws Exception {
    byte[] bobList = bob.list(1, 1);
    JsonObject answer = bob.accountAnswer(bobList, 1, 2);
    relay.answers.put(BOB_ACCOUNT, answer);
    try (QuintetClient client = alicePrimary()) {
      assertEquals(ProtocolError.UNTRUSTED_DEVICE, refusal(client, bob.number));
      assertTrue(relay.sends.isEmpty());
      assertTrue(client.store().account(bob.number).isEmpty(), "nothing of the refused answer is kept");
    }
  }

  @Test
  void aMismatchIsRetriedWithTheNewListButARolledBackListIsRefused() throws Exception {
    byte[] bobListOne = bob.list(1, 1);
    byte[] bobListTwo = bob.list(2, 1, 2);
    relay.answers.put(BOB_ACCOUNT, bob.accountAnswer(bobListOne, 1));
    relay.answers.put(BOB_KEYS + 1, bob.keysAnswer(bobListOne, 1, bob, 1));
    relay.answers.put(ALICE_KEYS + 2, alice.keysAnswer(aliceList, 2, alice, 2));
    relay.sendReplies.add(mismatch(bob.number, 2));
    // While the first send is on its way, Bob links device 2: the relay refuses the send as
    // missing it, and holds list 2 by then.
    JsonObject accountTwo = bob.accountAnswer(bobListTwo, 1, 2);
    JsonObject keysTwo = bob.keysAnswer(bobListTwo, 2, bob, 2);
    relay.afterSend = () -> {
      relay.answers.put(BOB_ACCOUNT, accountTwo);
      relay.answers.put(BOB_KEYS + 2, keysTwo);
    };
    try (QuintetClient client = alicePrimary()) {
      Future<SentMessage> sending = client.sendText(bob.number, "first");
      SentMessage sent = await(sending);
      assertEquals(3, sent.devices());
      assertEquals(2, relay.sends.size());
      assertEquals("first", open(relay.sends.get(1), bob, 2).body());

      // Now a relay that answers the next mismatch with the older list (which still lacks a
      // removed device, say) is refused.
      JsonObject rolledBack = bob.accountAnswer(bobListOne, 1);
      relay.afterSend = () -> relay.answers.put(BOB_ACCOUNT, rolledBack);
      relay.sendReplies.add(mismatch(bob.number, 3));
      assertEquals(ProtocolError.STALE_LIST, refusal(client, bob.number));
      assertEquals(3, relay.sends.size());
    }
  }

  private static FakeRelay.Reply mismatch(String number, long missing) {
    Map<String, Object> entry = new HashMap<>();
    entry.put("number", number);
    entry.put("missing", new JsonArray().add(missing));
    entry.put("extra", new JsonArray());
    entry.put("stale", new JsonArray());
    return new FakeRelay.Reply(409, new JsonObject().put("error", "DEVICE_MISMATCH").put("message", "mismatch")
        .put("mismatches", new JsonArray().add(new JsonObject(entry))));
  }
}
