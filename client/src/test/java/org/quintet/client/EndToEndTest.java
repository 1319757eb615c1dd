package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.client.InProcessRelay.await;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.Delivery;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.IdentityKey;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;
import org.quintet.relay.storage.QueuedEnvelope;
import org.quintet.relay.storage.StoredEnvelope;

/**
 * Two accounts, each a primary and a linked companion, against a real relay in this JVM: a text
 * reaches every device of both accounts once, even when the relay delivers it twice.
 */
class EndToEndTest {
  private static final String ALICE = "+8801711000001";
  private static final String BOB = "+8801811000002";

  @TempDir
  Path dir;
  InProcessRelay relay;
  Vertx vertx;
  final List<QuintetClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    relay = InProcessRelay.start(dir.resolve("relay"));
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    for (QuintetClient client : clients) {
      client.close();
    }
    await(vertx.close());
    relay.close();
  }

  private QuintetClient device(String name) throws Exception {
    QuintetClient client = QuintetClient.open(vertx, dir.resolve(name), relay.url());
    clients.add(client);
    return client;
  }

  private QuintetClient registerPrimary(String number, String name) throws Exception {
    QuintetClient primary = device(name);
    await(primary.register(number));
    await(primary.verify(relay.codeFor(number), name, "test"));
    return primary;
  }

  /** The linking primitives in order: companion identity, primary's certificate, link, new signed list. */
  private QuintetClient linkCompanion(QuintetClient primary, String number, String name) throws Exception {
    QuintetClient companion = device(name);
    IdentityKey identity = await(companion.prepareCompanion());
    DeviceCert issued = await(primary.issueCompanionCert(identity));
    DeviceCert counterSigned = await(companion.link(number, issued, name, "test"));
    await(primary.addToDeviceList(counterSigned));
    return companion;
  }

  private static ListenerQueues receive(QuintetClient client) throws Exception {
    ListenerQueues inbox = new ListenerQueues();
    await(client.receive(inbox));
    return inbox;
  }

  @Test
  void aConnectionReplacedByANewerOneOfTheSameDeviceDoesNotConnectAgain() throws Exception {
    QuintetClient alicePhone = registerPrimary(ALICE, "alice-phone");
    QuintetClient bob = registerPrimary(BOB, "bob-phone");
    bob.close();
    clients.remove(bob);
    // A second copy of the same device (its keys, sessions and id), as a second window would be.
    Path copy = dir.resolve("bob-phone-copy");
    Files.createDirectories(copy);
    try (var files = Files.list(dir.resolve("bob-phone"))) {
      for (Path file : files.filter(f -> !f.getFileName().toString().equals("lock")).toList()) {
        Files.copy(file, copy.resolve(file.getFileName()));
      }
    }
    ListenerQueues older = receive(device("bob-phone"));
    ListenerQueues newer = receive(device("bob-phone-copy"));
    ConnectionClosed replaced = (ConnectionClosed) older.trouble.poll(10, TimeUnit.SECONDS);
    assertEquals(Delivery.Close.REPLACED, replaced.code(), String.valueOf(replaced));
    assertFalse(replaced.loggedOut());
    // The sentinel: a text sent now reaches the newer connection, and by then the older one has
    // neither tried again nor taken anything.
    await(alicePhone.sendText(BOB, "to the newer one"));
    assertEquals("to the newer one", newer.nextMessage().body());
    assertTrue(older.lost.isEmpty() && older.reconnected == 0, "the replaced connection stays closed");
    assertTrue(older.messages.isEmpty());
  }

  @Test
  void aDeviceWhoseRelayIsGoneTriesAgainWaitingLongerEachTimeWithinThePolicy() throws Exception {
    QuintetClient bobPhone = registerPrimary(BOB, "bob-phone");
    ListenerQueues bobInbox = receive(bobPhone);
    relay.close();
    // The waits the client announces follow Delivery.Reconnect: 0.5 s doubling, each shortened
    // by up to a fifth. Three attempts fail against the closed port.
    for (int attempt = 0; attempt < 4; attempt++) {
      Long delay = bobInbox.reconnectDelays.poll(20, TimeUnit.SECONDS);
      assertTrue(delay != null, "attempt " + attempt + " was not announced");
      long base = Math.min(Delivery.Reconnect.LAST.toMillis(), Delivery.Reconnect.FIRST.toMillis() << attempt);
      assertTrue(delay <= base && delay >= Math.round(base * (1 - Delivery.Reconnect.JITTER)),
          "attempt " + attempt + " waits " + delay + " ms, base " + base);
    }
    assertEquals(0, bobInbox.reconnected);
    assertFalse(bobInbox.lost.peek().loggedOut(), "a relay that is gone does not log the device out");
    relay = InProcessRelay.start(dir.resolve("relay-after"));
  }

  @Test
  void aReceivingDeviceConnectsAgainByItselfWhenItsRelayDiesWithoutAWord() throws Exception {
    QuintetClient alicePhone = registerPrimary(ALICE, "alice-phone");
    QuintetClient bobPhone = registerPrimary(BOB, "bob-phone");
    ListenerQueues bobInbox = receive(bobPhone);
    await(alicePhone.sendText(BOB, "before the crash"));
    assertEquals("before the crash", bobInbox.nextMessage().body());

    relay = relay.crashAndStartAgain();
    ConnectionClosed lost = bobInbox.nextLost();
    assertTrue(lost.code() != Delivery.Close.GOING_AWAY, "no close frame came: " + lost);
    assertFalse(lost.loggedOut());
    await(alicePhone.sendText(BOB, "after the crash"));
    assertEquals("after the crash", bobInbox.nextMessage().body(), "received without a new receive()");
    assertTrue(bobInbox.messages.isEmpty(), "nothing twice");
  }

  @Test
  void aReceivingDeviceConnectsAgainByItselfWhenItsRelayRestarts() throws Exception {
    QuintetClient alicePhone = registerPrimary(ALICE, "alice-phone");
    QuintetClient bobPhone = registerPrimary(BOB, "bob-phone");
    ListenerQueues bobInbox = receive(bobPhone);
    await(alicePhone.sendText(BOB, "before the restart"));
    assertEquals("before the restart", bobInbox.nextMessage().body());

    relay = relay.restart();
    ConnectionClosed lost = bobInbox.nextLost();
    assertEquals(1001, lost.code(), "the stopping relay says it is going away");
    assertEquals("going-away", lost.reason());
    assertFalse(lost.loggedOut());
    await(alicePhone.sendText(BOB, "after the restart"));
    assertEquals("after the restart", bobInbox.nextMessage().body(), "received without a new receive()");
    assertTrue(bobInbox.reconnected >= 1);
    assertTrue(bobInbox.trouble.isEmpty(), "nothing went wrong: " + bobInbox.trouble);
  }

  @Test
  void textsFanOutToEveryDeviceOfBothAccountsAndShowOnce() throws Exception {
    QuintetClient alicePhone = registerPrimary(ALICE, "alice-phone");
    QuintetClient bobPhone = registerPrimary(BOB, "bob-phone");
    QuintetClient aliceLaptop = linkCompanion(alicePhone, ALICE, "alice-laptop");
    QuintetClient bobLaptop = linkCompanion(bobPhone, BOB, "bob-laptop");
    assertEquals(2, await(alicePhone.devices()).size());
    assertEquals(2, aliceLaptop.store().deviceId());

    SentMessage sent = await(alicePhone.sendText(BOB, "hello bob"));
    assertEquals(3, sent.devices(), "Bob's two devices and Alice's laptop");

    // At-least-once delivery: the relay hands Bob's phone the same envelope twice.
    List<StoredEnvelope> queued = await(relay.storage.peek(BOB, 1, 0, 10));
    assertEquals(1, queued.size());
    await(relay.storage.enqueue(List.of(new QueuedEnvelope(BOB, 1, queued.get(0).envelope(),
        queued.get(0).expiresAt()))));

    ListenerQueues bobPhoneInbox = receive(bobPhone);
    ListenerQueues bobLaptopInbox = receive(bobLaptop);
    ListenerQueues aliceLaptopInbox = receive(aliceLaptop);
    ListenerQueues alicePhoneInbox = receive(alicePhone);

    for (ListenerQueues bobs : List.of(bobPhoneInbox, bobLaptopInbox)) {
      IncomingMessage message = bobs.nextMessage();
      assertEquals("hello bob", message.body());
      assertEquals(ALICE, message.from());
      assertEquals(1, message.fromDevice());
      assertEquals(ALICE, message.peer());
      assertFalse(message.outgoing());
      assertEquals(sent.id(), message.id());
    }
    IncomingMessage copy = aliceLaptopInbox.nextMessage();
    assertEquals("hello bob", copy.body());
    assertTrue(copy.outgoing());
    assertEquals(BOB, copy.peer(), "the laptop files Alice's own text under the chat with Bob");

    Set<Long> receiptDevices = new TreeSet<>();
    for (int i = 0; i < 2; i++) {
      Receipt receipt = alicePhoneInbox.nextReceipt();
      assertEquals(BOB, receipt.from());
      assertEquals(sent.id(), receipt.id());
      receiptDevices.add(receipt.fromDevice());
    }
    assertEquals(Set.of(1L, 2L), receiptDevices);

    // Bob's laptop answers: Alice's two devices get it, and Bob's phone gets Bob's own copy.
    SentMessage reply = await(bobLaptop.sendText(ALICE, "hi alice"));
    assertEquals(3, reply.devices());
    for (ListenerQueues alices : List.of(alicePhoneInbox, aliceLaptopInbox)) {
      IncomingMessage message = alices.nextMessage();
      assertEquals("hi alice", message.body());
      assertEquals(BOB, message.from());
      assertEquals(2, message.fromDevice());
    }
    IncomingMessage own = bobPhoneInbox.nextMessage();
    assertEquals("hi alice", own.body());
    assertTrue(own.outgoing());
    assertEquals(ALICE, own.peer());

    for (QuintetClient client : List.of(alicePhone, aliceLaptop, bobPhone, bobLaptop)) {
      await(client.stopReceiving());
    }
    // The duplicate was acknowledged but not shown: one text each way on every device, nothing left queued.
    assertTrue(bobPhoneInbox.messages.isEmpty(), "the duplicate was shown: " + bobPhoneInbox.messages);
    assertTrue(bobPhoneInbox.trouble.isEmpty(), bobPhoneInbox.trouble.toString());
    assertEquals(0L, (long) await(relay.storage.queueSize(BOB, 1)));
    assertEquals(List.of("hello bob", "hi alice"),
        bobPhone.store().history().stream().map(HistoryEntry::body).toList());
    assertEquals(List.of("hello bob", "hi alice"),
        aliceLaptop.store().history().stream().map(HistoryEntry::body).toList());
  }

  @Test
  void oneTimePreKeysAreToppedUpOnConnectAndWhenTheRelaySaysLow() throws Exception {
    QuintetClient alicePhone = registerPrimary(ALICE, "alice-phone");
    QuintetClient bobPhone = registerPrimary(BOB, "bob-phone");
    drainOneTimePreKeys(BOB, 5);
    // Offline, Bob's phone missed any warning: it checks when it connects.
    ListenerQueues bobInbox = receive(bobPhone);
    awaitOneTimePreKeys(BOB, 105);

    // Online, the relay's warning after a bundle fetch starts an upload.
    drainOneTimePreKeys(BOB, 10);
    await(alicePhone.sendText(BOB, "this fetch leaves 9"));
    assertEquals("this fetch leaves 9", bobInbox.nextMessage().body());
    awaitOneTimePreKeys(BOB, 109);
    assertTrue(bobInbox.trouble.isEmpty(), bobInbox.trouble.toString());
  }

  private void drainOneTimePreKeys(String number, int leave) throws Exception {
    while (await(relay.storage.oneTimePreKeyCount(number, 1)) > leave) {
      await(relay.storage.takeOneTimePreKey(number, 1));
    }
  }

  private void awaitOneTimePreKeys(String number, int expected) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    while (await(relay.storage.oneTimePreKeyCount(number, 1)) != expected) {
      assertTrue(System.currentTimeMillis() < deadline,
          "the relay holds " + await(relay.storage.oneTimePreKeyCount(number, 1)) + " one-time prekeys");
      Thread.sleep(50);
    }
  }

  @Test
  void aPrimaryThatWasAwayWhenItsNumberMovedIsToldSoNotBadSignature() throws Exception {
    QuintetClient oldPhone = registerPrimary(ALICE, "alice-away-phone");
    registerPrimary(BOB, "bob-phone");
    registerPrimary(ALICE, "alice-new-phone");
    // The old phone was not connected: it learns of the move when it next asks for a token.
    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> oldPhone.sendText(BOB, "from the past").toCompletionStage().toCompletableFuture().get());
    assertTrue(refused.getCause() instanceof NotRegisteredException, String.valueOf(refused.getCause()));
    assertTrue(refused.getCause().getMessage().contains("registered on another device"),
        refused.getCause().getMessage());
    assertEquals(LocalStore.Status.LOGGED_OUT, oldPhone.store().status());
    assertEquals(Delivery.Reason.REREGISTERED, oldPhone.store().statusReason());
  }

  @Test
  void aNumberRegisteredOnANewPhoneLogsTheOldOneOutAndMustBeTrustedAgain() throws Exception {
    QuintetClient oldPhone = registerPrimary(ALICE, "alice-old-phone");
    QuintetClient bobPhone = registerPrimary(BOB, "bob-phone");
    await(bobPhone.sendText(ALICE, "before"));
    ListenerQueues oldInbox = receive(oldPhone);
    assertEquals("before", oldInbox.nextMessage().body());

    QuintetClient newPhone = registerPrimary(ALICE, "alice-new-phone");
    ConnectionClosed closed = (ConnectionClosed) oldInbox.trouble.poll(10, TimeUnit.SECONDS);
    assertEquals(Delivery.Close.NUMBER_REREGISTERED, closed.code());
    assertTrue(closed.loggedOut());
    assertEquals(LocalStore.Status.LOGGED_OUT, oldPhone.store().status());
    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> oldPhone.sendText(BOB, "from the past").toCompletionStage().toCompletableFuture().get());
    assertTrue(refused.getCause() instanceof NotRegisteredException);

    // Bob's phone refuses Alice's new account key until Bob says he trusts it: her texts wait
    // on the relay, and his are not sent.
    await(newPhone.sendText(BOB, "new phone, same Alice"));
    ListenerQueues bobInbox = receive(bobPhone);
    Object held = bobInbox.trouble.poll(10, TimeUnit.SECONDS);
    assertEquals(ProtocolError.ACCOUNT_MISMATCH, ((ProtocolException) held).error(), String.valueOf(held));
    assertTrue(bobInbox.messages.isEmpty());
    ExecutionException untrusted = assertThrows(ExecutionException.class,
        () -> bobPhone.sendText(ALICE, "who is this?").toCompletionStage().toCompletableFuture().get());
    assertEquals(ProtocolError.ACCOUNT_MISMATCH, ((ProtocolException) untrusted.getCause()).error());

    await(bobPhone.trust(ALICE));
    await(bobPhone.stopReceiving());
    assertEquals("new phone, same Alice", receive(bobPhone).nextMessage().body());
    await(bobPhone.sendText(ALICE, "welcome back"));
    assertEquals("welcome back", receive(newPhone).nextMessage().body());
  }

  @Test
  void twoDevicesThatStartSessionsWithEachOtherAtOnceSettleOnOne() throws Exception {
    QuintetClient alicePhone = registerPrimary(ALICE, "alice-phone");
    QuintetClient bobPhone = registerPrimary(BOB, "bob-phone");
    // Each sends first, before it has read the other's first message: two sessions.
    await(alicePhone.sendText(BOB, "alice first"));
    await(bobPhone.sendText(ALICE, "bob first"));
    ListenerQueues aliceInbox = receive(alicePhone);
    ListenerQueues bobInbox = receive(bobPhone);
    assertEquals("bob first", aliceInbox.nextMessage().body());
    assertEquals("alice first", bobInbox.nextMessage().body());

    // Whichever session each side now sends in, the other opens it, and the two settle.
    for (int round = 0; round < 3; round++) {
      await(alicePhone.sendText(BOB, "from alice " + round));
      await(bobPhone.sendText(ALICE, "from bob " + round));
      assertEquals("from alice " + round, bobInbox.nextMessage().body());
      assertEquals("from bob " + round, aliceInbox.nextMessage().body());
    }
    assertTrue(aliceInbox.trouble.isEmpty(), aliceInbox.trouble.toString());
    assertTrue(bobInbox.trouble.isEmpty(), bobInbox.trouble.toString());
  }
}
