package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.client.InProcessRelay.await;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.Delivery;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.IdentityKey;
import org.quintet.relay.storage.redis.RedisServer;

/**
 * Linking and delivery across the nodes of a cluster, with real clients: three relay nodes in this
 * JVM over one redis-server, each with its own data directory (and the one relay key), and each
 * device talking to the node it was pointed at. The companion's provisioning socket and the primary are on different nodes;
 * a device that received on one node drains what was queued meanwhile on another.
 */
@Timeout(180)
class ClusterLinkingTest {
  private static final String ALICE = "+8801711000101";
  private static final String BOB = "+8801811000102";

  @TempDir
  Path dir;
  RedisServer redis;
  InProcessRelay nodeA;
  InProcessRelay nodeB;
  InProcessRelay nodeC;
  final Vertx vertx = Vertx.vertx();
  final List<QuintetClient> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
    nodeA = InProcessRelay.cluster(dir.resolve("node-a"), redis.url());
    // The nodes of a cluster share the relay key (the first node's, copied as an operator does).
    for (String node : List.of("node-b", "node-c")) {
      Files.createDirectories(dir.resolve(node));
      Files.copy(dir.resolve("node-a").resolve("relay.key"), dir.resolve(node).resolve("relay.key"));
    }
    nodeB = InProcessRelay.cluster(dir.resolve("node-b"), redis.url());
    nodeC = InProcessRelay.cluster(dir.resolve("node-c"), redis.url());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      for (QuintetClient client : clients) {
        client.close();
      }
      await(vertx.close());
      for (InProcessRelay node : new InProcessRelay[] {nodeA, nodeB, nodeC}) {
        if (node != null) {
          try {
            node.close();
          } catch (Exception alreadyClosed) {
            // a test closed it
          }
        }
      }
    } finally {
      if (redis != null) {
        redis.close();
      }
    }
  }

  /** A device with its own home, talking to {@code node}. */
  private QuintetClient device(String name, InProcessRelay node) throws Exception {
    QuintetClient client = QuintetClient.open(vertx, dir.resolve("home-" + name), node.url());
    clients.add(client);
    return client;
  }

  /** Registers through {@code node}: the code comes from the node that handled the request. */
  private QuintetClient registerPrimary(String number, String name, InProcessRelay node) throws Exception {
    QuintetClient primary = device(name, node);
    await(primary.register(number));
    await(primary.verify(node.codeFor(number), name, "test"));
    return primary;
  }

  /** Closes {@code client} (releasing its home) and opens the same home against {@code node}. */
  private QuintetClient reopen(QuintetClient client, String name, InProcessRelay node) throws Exception {
    client.close();
    clients.remove(client);
    return device(name, node);
  }

  private static ListenerQueues receive(QuintetClient client) throws Exception {
    ListenerQueues inbox = new ListenerQueues();
    await(client.receive(inbox));
    return inbox;
  }

  /** Takes every message the inbox holds now, in the order they came. */
  private static List<String> bodies(ListenerQueues inbox) {
    List<IncomingMessage> taken = new ArrayList<>();
    inbox.messages.drainTo(taken);
    return taken.stream().map(IncomingMessage::body).toList();
  }

  private static Throwable failure(Future<?> future) {
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    return failed.getCause();
  }

  /** Waits (up to the inbox's timeout) until the connection has said its queue is drained {@code times} times. */
  private static void awaitQueueEmpty(ListenerQueues inbox, int times) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 20_000;
    while (inbox.queueEmpty < times) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("no queue-empty event; trouble: " + inbox.trouble);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void aCodeSentThroughOneNodeIsCheckedByAnyWrongTriesCounted() throws Exception {
    // Each step on another node: the pending registration and its attempts are in Redis.
    QuintetClient onA = device("alice-phone", nodeA);
    await(onA.register(ALICE));
    String code = nodeA.codeFor(ALICE);
    String wrong = code.equals("000000") ? "111111" : "000000";
    QuintetClient onB = reopen(onA, "alice-phone", nodeB);
    RelayException first = assertInstanceOf(RelayException.class, failure(onB.verify(wrong, "alice-phone", "test")));
    assertTrue(first.is(403, "WRONG_CODE"), first.getMessage());
    QuintetClient onC = reopen(onB, "alice-phone", nodeC);
    RelayException second = assertInstanceOf(RelayException.class, failure(onC.verify(wrong, "alice-phone", "test")));
    assertTrue(second.is(403, "WRONG_CODE"), second.getMessage());
    assertEquals(first.details().getInteger("attemptsLeft") - 1, second.details().getInteger("attemptsLeft"),
        "the second wrong try, on another node, counts: " + first.details() + " then " + second.details());
    await(onC.verify(code, "alice-phone", "test"));
    assertEquals(List.of(1L), await(onC.devices()).stream().map(DeviceInfo::deviceId).toList());
  }

  @Test
  void aCompanionWhoseQrSocketIsOnAnotherNodeLinksGetsTheHistoryAndTalksAcrossNodes() throws Exception {
    QuintetClient alicePhone = registerPrimary(ALICE, "alice-phone", nodeB);
    QuintetClient bobPhone = registerPrimary(BOB, "bob-phone", nodeC);
    await(alicePhone.sendText(BOB, "before the laptop"));
    await(bobPhone.sendText(ALICE, "welcome"));
    ListenerQueues alicePhoneInbox = receive(alicePhone);
    assertEquals("welcome", alicePhoneInbox.nextMessage().body());

    // The companion's provisioning socket is on node A; the primary scans on node B.
    QuintetClient laptop = device("alice-laptop", nodeA);
    ListenerQueues laptopInbox = new ListenerQueues();
    Future<LinkedAccount> companion = laptop.linkAsCompanion("Alice's laptop", "cli", laptopInbox);
    String uri = laptopInbox.next(laptopInbox.uris, "QR code");

    LinkedDevice linked = await(alicePhone.linkDevice(uri));
    assertEquals(2, linked.deviceId());
    assertEquals("Alice's laptop", linked.name());
    assertEquals(2, linked.historyTexts());
    assertEquals(new LinkedAccount(ALICE, 2), await(companion));
    assertEquals(2L, alicePhoneInbox.next(alicePhoneInbox.linked, "device-linked event"));
    assertEquals(new HistoryProgress(1, 1, 2, 2, true), laptopInbox.nextHistory());
    assertEquals(List.of("before the laptop", "welcome"),
        laptop.store().history().stream().map(HistoryEntry::body).toList());

    // The companion (node A) and Bob (node C) talk; Alice's phone (node B) sees both sides.
    ListenerQueues bobInbox = receive(bobPhone);
    assertEquals("before the laptop", bobInbox.nextMessage().body());
    await(laptop.sendText(BOB, "from the laptop"));
    IncomingMessage fromLaptop = bobInbox.nextMessage();
    assertEquals("from the laptop", fromLaptop.body());
    assertEquals(2, fromLaptop.fromDevice());
    assertEquals("from the laptop", alicePhoneInbox.nextMessage().body());
    SentMessage reply = await(bobPhone.sendText(ALICE, "hi laptop"));
    assertEquals(2, reply.devices(), "Alice's phone and laptop");
    assertEquals("hi laptop", laptopInbox.nextMessage().body());
    assertEquals("hi laptop", alicePhoneInbox.nextMessage().body());
    assertEquals(List.of(1L, 2L), await(laptop.devices()).stream().map(DeviceInfo::deviceId).toList());
    assertTrue(laptopInbox.trouble.isEmpty(), laptopInbox.trouble.toString());
    assertTrue(alicePhoneInbox.trouble.isEmpty(), alicePhoneInbox.trouble.toString());
    assertTrue(bobInbox.trouble.isEmpty(), bobInbox.trouble.toString());
  }

  @Test
  void aCodeLinkAcrossNodesRefusesAWrongCodeThenLinksWithTheRightOne() throws Exception {
    QuintetClient alicePhone = registerPrimary(ALICE, "alice-phone", nodeB);
    QuintetClient bobPhone = registerPrimary(BOB, "bob-phone", nodeC);
    ListenerQueues alicePhoneInbox = receive(alicePhone);
    QuintetClient laptop = device("alice-laptop", nodeA);
    ListenerQueues laptopInbox = new ListenerQueues();
    Future<LinkedAccount> companion = laptop.linkAsCompanionWithCode(ALICE, "laptop", "cli", laptopInbox);
    String code = laptopInbox.next(laptopInbox.codes, "code");

    String wrong = (code.charAt(0) == 'A' ? "B" : "A") + code.substring(1);
    LinkingException refused = assertInstanceOf(LinkingException.class, failure(alicePhone.linkDeviceWithCode(wrong)));
    assertEquals(LinkingException.Reason.WRONG_CODE, refused.reason());
    assertEquals(2, refused.attemptsLeft());
    // The companion on node A hears of the wrong try made on node B.
    long deadline = System.currentTimeMillis() + 10_000;
    while (laptopInbox.wrongCodes < 1 && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(1, laptopInbox.wrongCodes);
    assertFalse(companion.isComplete(), "the companion waits for another try");
    assertEquals(1, await(alicePhone.devices()).size());

    LinkedDevice linked = await(alicePhone.linkDeviceWithCode(code));
    assertEquals(2, linked.deviceId());
    assertEquals(new LinkedAccount(ALICE, 2), await(companion));
    assertEquals(new HistoryProgress(1, 1, 0, 0, true), laptopInbox.nextHistory());
    assertEquals(2L, alicePhoneInbox.next(alicePhoneInbox.linked, "device-linked event"));

    ListenerQueues bobInbox = receive(bobPhone);
    await(laptop.sendText(BOB, "typed on the laptop"));
    assertEquals("typed on the laptop", bobInbox.nextMessage().body());
    assertEquals("typed on the laptop", alicePhoneInbox.nextMessage().body());
    await(bobPhone.sendText(ALICE, "got it"));
    assertEquals("got it", laptopInbox.nextMessage().body());
    assertEquals("got it", alicePhoneInbox.nextMessage().body());
    assertTrue(laptopInbox.trouble.isEmpty(), laptopInbox.trouble.toString());
    assertTrue(alicePhoneInbox.trouble.isEmpty(), alicePhoneInbox.trouble.toString());
  }

  @Test
  void wrongCodeAttemptsAreCountedAcrossNodes() throws Exception {
    QuintetClient alicePhone = registerPrimary(ALICE, "alice-phone", nodeB);
    receive(alicePhone);
    QuintetClient laptop = device("alice-laptop", nodeA);
    ListenerQueues laptopInbox = new ListenerQueues();
    Future<LinkedAccount> companion = laptop.linkAsCompanionWithCode(ALICE, "laptop", "cli", laptopInbox);
    String code = laptopInbox.next(laptopInbox.codes, "code");
    String wrong = (code.charAt(0) == 'A' ? "B" : "A") + code.substring(1);

    LinkingException first = assertInstanceOf(LinkingException.class, failure(alicePhone.linkDeviceWithCode(wrong)));
    assertEquals(2, first.attemptsLeft());
    // The primary moves to node C: the pairing request and its attempts are the cluster's, not a node's.
    QuintetClient phoneOnC = reopen(alicePhone, "alice-phone", nodeC);
    ListenerQueues phoneInbox = receive(phoneOnC);
    LinkingException second = assertInstanceOf(LinkingException.class, failure(phoneOnC.linkDeviceWithCode(wrong)));
    assertEquals(LinkingException.Reason.WRONG_CODE, second.reason());
    assertEquals(1, second.attemptsLeft());
    assertFalse(companion.isComplete());

    LinkedDevice linked = await(phoneOnC.linkDeviceWithCode(code));
    assertEquals(2, linked.deviceId());
    assertEquals(new LinkedAccount(ALICE, 2), await(companion));
    assertEquals(2L, phoneInbox.next(phoneInbox.linked, "device-linked event"));
  }

  @Test
  void aCompanionThatLeftItsNodeLeavesNoRequestForThePrimaryOnAnother() throws Exception {
    QuintetClient alicePhone = registerPrimary(ALICE, "alice-phone", nodeB);
    receive(alicePhone);
    QuintetClient laptop = device("alice-laptop", nodeA);
    ListenerQueues laptopInbox = new ListenerQueues();
    laptop.linkAsCompanionWithCode(ALICE, "laptop", "cli", laptopInbox);
    String code = laptopInbox.next(laptopInbox.codes, "code");
    // The companion goes away (its provisioning socket on node A closes) before the code is typed.
    laptop.close();
    clients.remove(laptop);

    LinkingException refused = assertInstanceOf(LinkingException.class,
        failure(alicePhone.linkDeviceWithCode(code, new LinkOptions(java.time.Duration.ofSeconds(3), 30))));
    assertEquals(LinkingException.Reason.NO_REQUEST, refused.reason(), refused.getMessage());
    assertTrue(refused.getMessage().contains("no companion asked"), refused.getMessage());
    assertEquals(1, await(alicePhone.devices()).size());
  }

  @Test
  void receiptsAndRemovalsReachDevicesOnOtherNodes() throws Exception {
    QuintetClient alicePhone = registerPrimary(ALICE, "alice-phone", nodeB);
    QuintetClient bobPhone = registerPrimary(BOB, "bob-phone", nodeA);
    QuintetClient bobLaptop = device("bob-laptop", nodeC);
    IdentityKey identity = await(bobLaptop.prepareCompanion());
    DeviceCert issued = await(bobPhone.issueCompanionCert(identity));
    await(bobPhone.addToDeviceList(await(bobLaptop.link(BOB, issued, "bob-laptop", "test"))));
    ListenerQueues aliceInbox = receive(alicePhone);
    ListenerQueues phoneInbox = receive(bobPhone);
    ListenerQueues laptopInbox = receive(bobLaptop);

    // Alice on node B sends; Bob's devices on nodes A and C acknowledge; the receipts reach node B.
    SentMessage sent = await(alicePhone.sendText(BOB, "hello both"));
    assertEquals(2, sent.devices());
    assertEquals("hello both", phoneInbox.nextMessage().body());
    assertEquals("hello both", laptopInbox.nextMessage().body());
    Set<Long> receiptsFrom = new java.util.HashSet<>();
    while (receiptsFrom.size() < 2) {
      Receipt receipt = aliceInbox.nextReceipt();
      assertEquals(sent.id(), receipt.id());
      assertEquals(BOB, receipt.from());
      receiptsFrom.add(receipt.fromDevice());
    }
    assertEquals(Set.of(1L, 2L), receiptsFrom);

    // The primary on node A removes the laptop, whose connection is on node C: it is closed there.
    await(bobPhone.removeDevice(2));
    ConnectionClosed removed = laptopInbox.nextClose();
    assertEquals(Delivery.Close.DEVICE_REMOVED, removed.code());
    assertEquals(Delivery.Reason.REMOVED, removed.reason());
    assertEquals(LocalStore.Status.LOGGED_OUT, bobLaptop.store().status());
  }

  @Test
  void aDeviceWhoseNodeClosesDrainsOnAnotherNodeWhatWasQueuedNothingLostNothingTwice() throws Exception {
    QuintetClient alicePhone = registerPrimary(ALICE, "alice-phone", nodeB);
    QuintetClient bobPhone = registerPrimary(BOB, "bob-phone", nodeA);
    ListenerQueues onA = receive(bobPhone);
    await(alicePhone.sendText(BOB, "message 0"));
    assertEquals("message 0", onA.nextMessage().body());

    // A burst while Bob is connected, and node A goes away before all of it is surely acknowledged.
    int burst = 30;
    List<String> sent = new ArrayList<>(List.of("message 0"));
    for (int i = 1; i <= burst; i++) {
      await(alicePhone.sendText(BOB, "message " + i));
      sent.add("message " + i);
    }
    nodeA.close();
    nodeA = null;
    onA.nextLost();
    // More while Bob is not connected anywhere.
    for (int i = burst + 1; i <= burst + 20; i++) {
      await(alicePhone.sendText(BOB, "message " + i));
      sent.add("message " + i);
    }

    QuintetClient bobOnB = reopen(bobPhone, "bob-phone", nodeB);
    ListenerQueues onB = receive(bobOnB);
    awaitQueueEmpty(onB, 1);
    List<String> shown = new ArrayList<>(List.of("message 0"));
    shown.addAll(bodies(onA));
    shown.addAll(bodies(onB));
    Set<String> distinct = new LinkedHashSet<>(shown);
    assertEquals(shown.size(), distinct.size(), "a message was shown twice: " + shown);
    assertEquals(sent, shown, "every message, in the order sent");
    assertTrue(onB.trouble.isEmpty(), onB.trouble.toString());

    // And the device goes on receiving live on node B.
    await(alicePhone.sendText(BOB, "live on B"));
    assertEquals("live on B", onB.nextMessage().body());
    assertTrue(onB.messages.isEmpty());
  }

  @Test
  void aDeviceReopenedAgainstAnotherNodeDrainsWhatWasQueuedWhileTheFirstNodeStaysUp() throws Exception {
    QuintetClient alicePhone = registerPrimary(ALICE, "alice-phone", nodeB);
    QuintetClient bobPhone = registerPrimary(BOB, "bob-phone", nodeA);
    ListenerQueues onA = receive(bobPhone);
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      await(alicePhone.sendText(BOB, "message " + i));
      sent.add("message " + i);
    }
    assertEquals("message 0", onA.nextMessage().body());
    QuintetClient bobOnC = reopen(bobPhone, "bob-phone", nodeC);
    for (int i = 10; i < 25; i++) {
      await(alicePhone.sendText(BOB, "message " + i));
      sent.add("message " + i);
    }
    ListenerQueues onC = receive(bobOnC);
    awaitQueueEmpty(onC, 1);
    List<String> shown = new ArrayList<>(List.of("message 0"));
    shown.addAll(bodies(onA));
    shown.addAll(bodies(onC));
    assertEquals(sent, shown, "every message once, in the order sent");
    assertTrue(onC.trouble.isEmpty(), onC.trouble.toString());
  }
}
