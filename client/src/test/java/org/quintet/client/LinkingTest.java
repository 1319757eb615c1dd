package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.client.InProcessRelay.await;
import static org.quintet.client.TestDevices.receive;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.Delivery;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.IdentityKey;

/**
 * Linking through the relay as a user does it, the primary and the companion each a Java client:
 * by QR (the companion's URI handed to the primary) and by number and code; then the history, the
 * companion taking part in conversations, the limit on companions, and devices leaving.
 */
class LinkingTest {
  private static final String ALICE = "+8801711000001";
  private static final String BOB = "+8801811000002";

  @TempDir
  Path dir;
  MovableClock clock = new MovableClock();
  TestDevices devices;

  @BeforeEach
  void start() throws Exception {
    devices = new TestDevices(InProcessRelay.start(dir.resolve("relay"), clock), dir);
  }

  @AfterEach
  void stop() throws Exception {
    devices.close();
  }

  private static Throwable failure(Future<?> future) {
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    return failed.getCause();
  }

  @Test
  void aCompanionLinkedByQrGetsTheHistoryAndThenTakesPartInConversations() throws Exception {
    QuintetClient alicePhone = devices.registerPrimary(ALICE, "alice-phone");
    QuintetClient bobPhone = devices.registerPrimary(BOB, "bob-phone");
    await(alicePhone.sendText(BOB, "before the laptop"));
    await(bobPhone.sendText(ALICE, "welcome"));
    ListenerQueues alicePhoneInbox = receive(alicePhone);
    assertEquals("welcome", alicePhoneInbox.nextMessage().body());

    QuintetClient laptop = devices.device("alice-laptop");
    ListenerQueues laptopInbox = new ListenerQueues();
    Future<LinkedAccount> companion = laptop.linkAsCompanion("Alice's laptop", "cli", laptopInbox);
    String uri = laptopInbox.next(laptopInbox.uris, "QR code");
    assertTrue(uri.startsWith("quintet://link?v=1&a="), uri);
    assertEquals("Alice's laptop", LinkUri.parse(uri).name());

    LinkedDevice linked = await(alicePhone.linkDevice(uri));
    assertEquals(2, linked.deviceId());
    assertEquals("Alice's laptop", linked.name());
    assertEquals(2, linked.listVersion());
    assertEquals(2, linked.historyTexts());
    assertEquals(1, linked.historyParts());
    assertEquals(new LinkedAccount(ALICE, 2), await(companion));
    assertEquals(2L, alicePhoneInbox.next(alicePhoneInbox.linked, "device-linked event"));

    HistoryProgress history = laptopInbox.nextHistory();
    assertEquals(new HistoryProgress(1, 1, 2, 2, true), history);
    assertEquals(List.of("before the laptop", "welcome"), laptop.store().history().stream().map(HistoryEntry::body).toList());
    HistoryEntry sent = laptop.store().history().get(0);
    assertTrue(sent.outgoing());
    assertEquals(BOB, sent.peer());

    // The new device is in the signed list: both accounts' senders include it.
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
    assertEquals(List.of(1L, 2L), await(laptop.devices()).stream().map(DeviceInfo::deviceId).toList());
    assertTrue(laptopInbox.trouble.isEmpty(), laptopInbox.trouble.toString());
  }

  @Test
  void aCodeLinkAfterAWrongCodeLinksWithTheRightOne() throws Exception {
    QuintetClient alicePhone = devices.registerPrimary(ALICE, "alice-phone");
    ListenerQueues alicePhoneInbox = receive(alicePhone);
    QuintetClient laptop = devices.device("alice-laptop");
    ListenerQueues laptopInbox = new ListenerQueues();
    Future<LinkedAccount> companion = laptop.linkAsCompanionWithCode(ALICE, "laptop", "cli", laptopInbox);
    String code = laptopInbox.next(laptopInbox.codes, "code");
    assertTrue(code.matches("[1-9A-HJ-NP-TV-Z]{4}-[1-9A-HJ-NP-TV-Z]{4}"), code);

    String wrong = (code.charAt(0) == 'A' ? "B" : "A") + code.substring(1);
    LinkingException refused = assertInstanceOf(LinkingException.class, failure(alicePhone.linkDeviceWithCode(wrong)));
    assertEquals(LinkingException.Reason.WRONG_CODE, refused.reason());
    assertEquals(2, refused.attemptsLeft());
    assertEquals(1, laptopInbox.wrongCodes);
    assertFalse(companion.isComplete(), "the companion waits for another try");
    assertEquals(1, await(alicePhone.devices()).size());

    LinkedDevice linked = await(alicePhone.linkDeviceWithCode(code.toLowerCase().replace("-", " ")));
    assertEquals(2, linked.deviceId());
    assertEquals("laptop", linked.name());
    assertEquals(new LinkedAccount(ALICE, 2), await(companion));
    assertEquals(new HistoryProgress(1, 1, 0, 0, true), laptopInbox.nextHistory(), "an empty history still says it is complete");
    assertEquals(2, await(alicePhone.devices()).size());
    assertTrue(alicePhoneInbox.trouble.isEmpty(), alicePhoneInbox.trouble.toString());
  }

  @Test
  void aBadUriOrCodeIsRefusedBeforeAnythingHappens() throws Exception {
    QuintetClient alicePhone = devices.registerPrimary(ALICE, "alice-phone");
    assertInstanceOf(IllegalArgumentException.class, failure(alicePhone.linkDevice("https://example.com")));
    assertInstanceOf(IllegalArgumentException.class, failure(alicePhone.linkDeviceWithCode("1234")));
    // A valid link, but the primary is not receiving: the relay's events would not reach it.
    String uri = new LinkUri("AAAAAAAAAAAAAAAAAAAAAA", new byte[32], new IdentityKey(new byte[32], new byte[32]), "x")
        .toString();
    assertInstanceOf(IllegalStateException.class, failure(alicePhone.linkDevice(uri)));
  }

  @Test
  void aFifthCompanionIsRefused() throws Exception {
    QuintetClient alicePhone = devices.registerPrimary(ALICE, "alice-phone");
    for (int i = 2; i <= 4; i++) {
      devices.linkCompanion(alicePhone, ALICE, "companion-" + i);
    }
    // Two companions get certificates while the account has room for one: the relay admits one.
    QuintetClient fourth = devices.device("companion-5");
    QuintetClient fifth = devices.device("companion-6");
    DeviceCert forFourth = await(alicePhone.issueCompanionCert(await(fourth.prepareCompanion())));
    DeviceCert forFifth = await(alicePhone.issueCompanionCert(await(fifth.prepareCompanion())));
    await(alicePhone.addToDeviceList(await(fourth.link(ALICE, forFourth, "companion-5", "test"))));
    RelayException full = assertInstanceOf(RelayException.class, failure(fifth.link(ALICE, forFifth, "companion-6", "test")));
    assertTrue(full.is(403, "TOO_MANY_DEVICES"), full.getMessage());

    // The primary says so before the user scans anything.
    receive(alicePhone);
    QuintetClient sixth = devices.device("companion-7");
    ListenerQueues sixthInbox = new ListenerQueues();
    sixth.linkAsCompanion("seventh", "cli", sixthInbox);
    LinkingException refused = assertInstanceOf(LinkingException.class,
        failure(alicePhone.linkDevice(sixthInbox.next(sixthInbox.uris, "QR code"))));
    assertEquals(LinkingException.Reason.TOO_MANY_DEVICES, refused.reason());
    assertEquals(5, await(alicePhone.devices()).size());
  }

  @Test
  void theRemovedDeviceAndTheOneThatLoggedOutAreLoggedOutWithTheirReasons() throws Exception {
    QuintetClient alicePhone = devices.registerPrimary(ALICE, "alice-phone");
    QuintetClient laptop = devices.linkCompanion(alicePhone, ALICE, "laptop");
    QuintetClient tablet = devices.linkCompanion(alicePhone, ALICE, "tablet");
    ListenerQueues phoneInbox = receive(alicePhone);
    ListenerQueues laptopInbox = receive(laptop);
    receive(tablet);

    assertEquals(4, await(alicePhone.removeDevice(2)));
    ConnectionClosed removed = laptopInbox.nextClose();
    assertEquals(Delivery.Close.DEVICE_REMOVED, removed.code());
    assertEquals(Delivery.Reason.REMOVED, removed.reason());
    assertTrue(removed.loggedOut());
    assertEquals(LocalStore.Status.LOGGED_OUT, laptop.store().status());
    assertEquals(Delivery.Reason.REMOVED, laptop.store().statusReason());
    assertEquals(List.of(1L, 3L), await(alicePhone.devices()).stream().map(DeviceInfo::deviceId).toList());

    await(tablet.logout());
    assertEquals(LocalStore.Status.LOGGED_OUT, tablet.store().status());
    assertEquals(Delivery.Reason.LOGGED_OUT, tablet.store().statusReason());
    assertTrue(tablet.store().identity().isEmpty(), "logging out wipes the keys");
    // The primary hears that the tablet left.
    Set<Long> left = new HashSet<>();
    while (!left.contains(3L)) {
      left.addAll(phoneInbox.next(phoneInbox.deviceChanges, "devices-changed").removed());
    }

    // The list still names the tablet, which the relay no longer has: the next list leaves it out.
    devices.linkCompanion(alicePhone, ALICE, "new laptop");
    assertEquals(List.of(1L, 4L), await(alicePhone.devices()).stream().map(DeviceInfo::deviceId).toList());
    assertInstanceOf(IllegalStateException.class, failure(alicePhone.logout()), "the primary cannot log out");
  }

  @Test
  void companionsAreLoggedOutWhenThePrimaryIsNotSeenFor15Days() throws Exception {
    QuintetClient alicePhone = devices.registerPrimary(ALICE, "alice-phone");
    QuintetClient laptop = devices.linkCompanion(alicePhone, ALICE, "laptop");
    ListenerQueues laptopInbox = receive(laptop);

    clock.advance(Duration.ofDays(15));
    await(devices.relay.server.housekeeping());
    ConnectionClosed closed = laptopInbox.nextClose();
    assertEquals(Delivery.Close.DEVICE_REMOVED, closed.code());
    assertEquals(Delivery.Reason.PRIMARY_INACTIVE, closed.reason());
    assertEquals(LocalStore.Status.LOGGED_OUT, laptop.store().status());
    assertEquals(Delivery.Reason.PRIMARY_INACTIVE, laptop.store().statusReason());
    NotRegisteredException refused = assertInstanceOf(NotRegisteredException.class, failure(laptop.sendText(BOB, "hi")));
    assertTrue(refused.getMessage().contains("primary was not seen"), refused.getMessage());
  }
}
