package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.client.InProcessRelay.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.client.ChangeRefusedException.Reason;

/**
 * What people do in a conversation, between two accounts on a real relay in this JVM: Alice with a
 * phone and a laptop, Bob with a phone. Each change is seen on the other account and on the
 * sender's other device; a change the rules do not allow is refused before it is sent, and
 * dropped by a receiver when a client sends it all the same, with the queue going on.
 */
class ConversationTest {
  private static final String ALICE = "+8801711000001";
  private static final String BOB = "+8801811000002";

  @TempDir
  Path dir;
  TestDevices devices;
  final MovableClock aliceClock = new MovableClock();
  QuintetClient alicePhone;
  QuintetClient aliceLaptop;
  QuintetClient bobPhone;
  ListenerQueues alicePhoneInbox;
  ListenerQueues aliceLaptopInbox;
  ListenerQueues bobInbox;

  @BeforeEach
  void start() throws Exception {
    devices = new TestDevices(InProcessRelay.start(dir.resolve("relay")), dir);
    alicePhone = devices.registerPrimary(ALICE, "alice-phone", aliceClock);
    aliceLaptop = devices.linkCompanion(alicePhone, ALICE, "alice-laptop");
    bobPhone = devices.registerPrimary(BOB, "bob-phone");
    alicePhoneInbox = TestDevices.receive(alicePhone);
    aliceLaptopInbox = TestDevices.receive(aliceLaptop);
    bobInbox = TestDevices.receive(bobPhone);
  }

  @AfterEach
  void stop() throws Exception {
    for (ListenerQueues inbox : List.of(alicePhoneInbox, aliceLaptopInbox, bobInbox)) {
      assertTrue(inbox.trouble.isEmpty(), inbox.trouble.toString());
    }
    devices.close();
  }

  /** Alice's text, as Bob and Alice's laptop received it. */
  private SentMessage aliceSays(String body) throws Exception {
    SentMessage sent = await(alicePhone.sendText(BOB, body));
    assertEquals(body, bobInbox.nextMessage().body());
    assertEquals(body, aliceLaptopInbox.nextMessage().body());
    return sent;
  }

  private static HistoryEntry text(QuintetClient device, String id) {
    return device.store().historyEntry(id).orElseThrow(() -> new AssertionError("no text " + id));
  }

  private static ChangeRefusedException refusal(io.vertx.core.Future<?> change) {
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> change.toCompletionStage().toCompletableFuture().get());
    return (ChangeRefusedException) failed.getCause();
  }

  @Test
  void aReplyAReactionAnEditAndADeletionReachTheOtherAccountAndTheSendersOtherDevice() throws Exception {
    SentMessage question = aliceSays("coming tonight? ".repeat(20));

    SentMessage answer = await(bobPhone.sendReply(ALICE, question.id(), "yes"));
    Quote quote = new Quote(question.id(), ALICE, "coming tonight? ".repeat(20).substring(0, 200));
    for (ListenerQueues alices : List.of(alicePhoneInbox, aliceLaptopInbox)) {
      IncomingMessage reply = alices.nextMessage();
      assertEquals("yes", reply.body());
      assertEquals(quote, reply.quote());
    }
    assertEquals(quote, text(alicePhone, answer.id()).quote());
    assertEquals(quote, text(bobPhone, answer.id()).quote());

    await(alicePhone.react(BOB, answer.id(), "👍"));
    await(alicePhone.react(BOB, answer.id(), "❤️"));
    for (String emoji : List.of("👍", "❤️")) {
      Received<Reaction> seen = bobInbox.next(Reaction.class);
      assertEquals(emoji, seen.content().emoji());
      assertEquals(ALICE, seen.from());
      Received<Reaction> own = aliceLaptopInbox.next(Reaction.class);
      assertTrue(own.outgoing());
      assertEquals(BOB, own.peer(), "the laptop files the reaction under the chat with Bob");
    }
    for (QuintetClient device : List.of(alicePhone, aliceLaptop, bobPhone)) {
      assertEquals(List.of(new MessageReaction(ALICE, "❤️", text(device, answer.id()).reactions().get(0).timestamp())),
          text(device, answer.id()).shownReactions(), "one reaction per account, the latest");
    }
    await(alicePhone.removeReaction(BOB, answer.id()));
    assertTrue(bobInbox.next(Reaction.class).content().removes());
    assertTrue(aliceLaptopInbox.next(Reaction.class).content().removes());
    assertEquals(List.of(), text(bobPhone, answer.id()).shownReactions());

    await(alicePhone.edit(BOB, question.id(), "coming tonight at 8?"));
    assertEquals(question.id(), bobInbox.next(Edit.class).content().target());
    assertEquals(question.id(), aliceLaptopInbox.next(Edit.class).content().target());
    for (QuintetClient device : List.of(alicePhone, aliceLaptop, bobPhone)) {
      assertEquals("coming tonight at 8?", text(device, question.id()).body());
      assertTrue(text(device, question.id()).edited());
    }

    await(alicePhone.deleteForEveryone(BOB, question.id()));
    assertEquals(question.id(), bobInbox.next(Delete.class).content().target());
    assertEquals(question.id(), aliceLaptopInbox.next(Delete.class).content().target());
    for (QuintetClient device : List.of(alicePhone, aliceLaptop, bobPhone)) {
      assertTrue(text(device, question.id()).deleted());
      assertNull(text(device, question.id()).body(), "the text is gone from the store");
    }
    assertEquals(Reason.DELETED, refusal(bobPhone.sendReply(ALICE, question.id(), "what was it?")).reason());

    assertEquals(1, await(alicePhone.deleteForMe(BOB, List.of(answer.id()))));
    Received<DeleteForMe> deleted = aliceLaptopInbox.next(DeleteForMe.class);
    assertEquals(List.of(answer.id()), deleted.content().targets());
    assertEquals(BOB, deleted.peer());
    assertTrue(alicePhone.store().historyEntry(answer.id()).isEmpty());
    assertTrue(aliceLaptop.store().historyEntry(answer.id()).isEmpty());
    assertEquals("yes", text(bobPhone, answer.id()).body(), "deleted for Alice alone");
    assertTrue(bobInbox.received.isEmpty(), "Bob's devices hear nothing of it: " + bobInbox.received);
  }

  /** The history a device linked later gets is the conversation as the phone shows it, with the names in it. */
  @Test
  void aDeviceLinkedLaterShowsTheConversationAsThePhoneDoes() throws Exception {
    await(alicePhone.setProfileName("Aliya"));
    aliceLaptopInbox.next(Profile.class);
    await(bobPhone.setProfileName("বব"));
    SentMessage question = aliceSays("coming tonight?");
    bobInbox.next(Profile.class);
    SentMessage answer = await(bobPhone.sendReply(ALICE, question.id(), "yes"));
    assertEquals("বব", alicePhoneInbox.next(Profile.class).content().name(), "Bob's name comes before his first text");
    alicePhoneInbox.nextMessage();
    aliceLaptopInbox.next(Profile.class);
    aliceLaptopInbox.nextMessage();
    await(alicePhone.react(BOB, answer.id(), "👍"));
    bobInbox.next(Reaction.class);
    aliceLaptopInbox.next(Reaction.class);
    await(alicePhone.edit(BOB, question.id(), "coming tonight at 8?"));
    bobInbox.next(Edit.class);
    aliceLaptopInbox.next(Edit.class);
    await(bobPhone.markRead(ALICE));
    alicePhoneInbox.next(Read.class);
    aliceLaptopInbox.next(Read.class);
    SentMessage slip = aliceSays("a slip");
    await(alicePhone.deleteForEveryone(BOB, slip.id()));
    bobInbox.next(Delete.class);
    aliceLaptopInbox.next(Delete.class);
    await(bobPhone.sendText(ALICE, "not read yet"));
    alicePhoneInbox.nextMessage();
    aliceLaptopInbox.nextMessage();

    QuintetClient tablet = devices.device("alice-tablet");
    ListenerQueues tabletInbox = new ListenerQueues();
    io.vertx.core.Future<LinkedAccount> linking = tablet.linkAsCompanion("Alice's tablet", "cli", tabletInbox);
    await(alicePhone.linkDevice(tabletInbox.next(tabletInbox.uris, "QR code")));
    await(linking);
    assertTrue(tabletInbox.nextHistory().complete());
    aliceLaptopInbox.received.clear();
    alicePhoneInbox.received.clear();

    assertEquals(alicePhone.store().history(), tablet.store().history(),
        "status, quote, latest edit, deletion and reactions as the phone shows them");
    assertEquals(MessageStatus.READ, text(tablet, question.id()).status());
    assertEquals(2, alicePhone.store().unreadCount(BOB), "the reply and the last text");
    assertEquals(2, tablet.store().unreadCount(BOB));
    assertEquals("Aliya", tablet.store().profile(ALICE).orElseThrow().name());
    assertEquals("বব", tablet.store().profile(BOB).orElseThrow().name());
  }

  @Test
  void changesTheRulesForbidAreRefusedBeforeSendingAndDroppedOnArrivalWhileTheQueueMovesOn() throws Exception {
    SentMessage sent = aliceSays("see you at 8");

    assertEquals(Reason.NOT_AUTHOR, refusal(bobPhone.edit(ALICE, sent.id(), "see you at 9")).reason());
    assertEquals(Reason.UNKNOWN_MESSAGE, refusal(bobPhone.react(ALICE, "ab".repeat(16), "👍")).reason());
    assertEquals(Reason.UNKNOWN_MESSAGE, refusal(alicePhone.edit(ALICE, sent.id(), "in another chat")).reason());
    aliceClock.advance(Duration.ofMinutes(16));
    ChangeRefusedException late = refusal(alicePhone.edit(BOB, sent.id(), "see you at 9"));
    assertEquals(Reason.TOO_LATE, late.reason());
    assertTrue(late.getMessage().contains("15 minutes"), late.getMessage());
    SentMessage slip = aliceSays("a slip");
    await(alicePhone.deleteForEveryone(BOB, slip.id()));
    assertEquals(slip.id(), bobInbox.next(Delete.class).content().target(), "within its window, a deletion goes");
    aliceLaptopInbox.next(Delete.class);

    // A client that breaks the rules sends them all the same: every receiver drops them.
    await(bobPhone.sendAsIs(ALICE, new Edit(sent.id(), "see you at 9", System.currentTimeMillis(), null)));
    await(alicePhone.sendAsIs(BOB, new Edit(sent.id(), "see you at 9", aliceClock.millis(), null)));
    await(alicePhone.sendAsIs(BOB, new Reaction("ab".repeat(16), "👍", aliceClock.millis(), null)));
    await(bobPhone.sendAsIs(ALICE, new Delete(sent.id(), System.currentTimeMillis(), null)));
    aliceClock.advance(Duration.ofDays(2));
    assertEquals(Reason.TOO_LATE, refusal(alicePhone.deleteForEveryone(BOB, sent.id())).reason());
    await(alicePhone.sendAsIs(BOB, new Delete(sent.id(), aliceClock.millis(), null)));
    // Settings and a deletion for Alice alone, from someone who is not Alice.
    await(bobPhone.sendAsIs(ALICE, new Settings(false, System.currentTimeMillis(), null)));
    await(bobPhone.sendAsIs(ALICE, new DeleteForMe(List.of(sent.id()), System.currentTimeMillis(), ALICE)));

    await(alicePhone.sendText(BOB, "still here"));
    await(bobPhone.sendText(ALICE, "me too"));
    assertEquals("still here", bobInbox.nextMessage().body(), "the dropped changes did not hold the queue");
    assertEquals("me too", alicePhoneInbox.nextMessage().body());
    assertEquals("still here", aliceLaptopInbox.nextMessage().body());
    assertEquals("me too", aliceLaptopInbox.nextMessage().body());
    for (QuintetClient device : List.of(alicePhone, aliceLaptop, bobPhone)) {
      HistoryEntry kept = text(device, sent.id());
      assertEquals("see you at 8", kept.body());
      assertFalse(kept.edited());
      assertTrue(device.store().readReceipts());
    }
    for (ListenerQueues inbox : List.of(alicePhoneInbox, aliceLaptopInbox, bobInbox)) {
      assertTrue(inbox.received.isEmpty(), "nothing shown: " + inbox.received);
    }
  }

  @Test
  void readReceiptsGoBothWaysUntilTheAccountTurnsThemOff() throws Exception {
    SentMessage first = aliceSays("one");
    SentMessage second = aliceSays("two");
    assertEquals(2, bobPhone.store().unreadCount(ALICE));

    assertEquals(2, await(bobPhone.markRead(ALICE)));
    assertEquals(0, bobPhone.store().unreadCount(ALICE));
    for (ListenerQueues alices : List.of(alicePhoneInbox, aliceLaptopInbox)) {
      Received<Read> receipt = alices.next(Read.class);
      assertEquals(List.of(first.id(), second.id()), receipt.content().targets());
      assertEquals(BOB, receipt.from());
    }
    for (QuintetClient device : List.of(alicePhone, aliceLaptop)) {
      assertEquals(MessageStatus.READ, text(device, first.id()).status());
      assertEquals(MessageStatus.READ, text(device, second.id()).status());
    }

    // Alice reads Bob's text on her phone: her laptop clears it, Bob gets the receipt.
    SentMessage fromBob = await(bobPhone.sendText(ALICE, "three"));
    alicePhoneInbox.nextMessage();
    aliceLaptopInbox.nextMessage();
    assertEquals(1, aliceLaptop.store().unreadCount(BOB));
    assertEquals(1, await(alicePhone.markRead(BOB)));
    Received<Read> elsewhere = aliceLaptopInbox.next(Read.class);
    assertTrue(elsewhere.outgoing());
    assertEquals(BOB, elsewhere.peer());
    assertEquals(0, aliceLaptop.store().unreadCount(BOB));
    assertEquals(List.of(fromBob.id()), bobInbox.next(Read.class).content().targets());
    assertEquals(MessageStatus.READ, text(bobPhone, fromBob.id()).status());

    // Off, on the phone: the laptop follows; Bob gets no receipt, and Bob's are not taken.
    await(alicePhone.setReadReceipts(false));
    assertFalse(aliceLaptopInbox.next(Settings.class).content().readReceipts());
    assertFalse(aliceLaptop.store().readReceipts());
    SentMessage unseen = await(bobPhone.sendText(ALICE, "four"));
    alicePhoneInbox.nextMessage();
    aliceLaptopInbox.nextMessage();
    assertEquals(1, await(alicePhone.markRead(BOB)));
    assertEquals(List.of(unseen.id()), aliceLaptopInbox.next(Read.class).content().targets(),
        "the laptop still hears that it was read");
    SentMessage fifth = aliceSays("five");
    assertEquals(1, await(bobPhone.markRead(ALICE)));
    await(bobPhone.sendText(ALICE, "sentinel"));
    assertEquals("sentinel", alicePhoneInbox.nextMessage().body());
    assertEquals("sentinel", aliceLaptopInbox.nextMessage().body());
    assertTrue(bobInbox.received.isEmpty(), "no receipt from Alice: " + bobInbox.received);
    assertTrue(text(bobPhone, unseen.id()).status() != MessageStatus.READ);
    assertTrue(alicePhoneInbox.received.isEmpty() && aliceLaptopInbox.received.isEmpty(), "Bob's receipt dropped");
    assertTrue(text(alicePhone, fifth.id()).status() != MessageStatus.READ);
  }

  @Test
  void theAccountsNameGoesToItsDevicesAndBeforeTheFirstTextToAnyone() throws Exception {
    await(alicePhone.setProfileName("আলিয়া"));
    assertEquals("আলিয়া", aliceLaptopInbox.next(Profile.class).content().name());
    assertEquals("আলিয়া", aliceLaptop.store().profile(ALICE).orElseThrow().name());

    aliceSays("hello");
    Received<Profile> shown = bobInbox.next(Profile.class);
    assertEquals("আলিয়া", shown.content().name());
    assertEquals(ALICE, shown.from());
    assertEquals("আলিয়া", bobPhone.store().profile(ALICE).orElseThrow().name());
    // Bob away: what waits for him on the relay is the text alone, not the name again.
    await(bobPhone.stopReceiving());
    await(alicePhone.sendText(BOB, "and again"));
    assertEquals(1L, (long) await(devices.relay.storage.queueSize(BOB, 1)), "the name goes once");
    bobInbox = TestDevices.receive(bobPhone);
    assertEquals("and again", bobInbox.nextMessage().body());
    assertEquals("and again", aliceLaptopInbox.nextMessage().body());

    await(alicePhone.setProfileName("Aliya"));
    assertEquals("Aliya", bobInbox.next(Profile.class).content().name());
    assertEquals("Aliya", aliceLaptopInbox.next(Profile.class).content().name());
    assertEquals("Aliya", bobPhone.store().profile(ALICE).orElseThrow().name());
    ExecutionException refused = assertThrows(ExecutionException.class,
        () -> await(alicePhone.setProfileName("a\nb")));
    assertTrue(refused.getCause() instanceof IllegalArgumentException, String.valueOf(refused.getCause()));
  }

  @Test
  void typingIsReportedAndKeptNowhere() throws Exception {
    aliceSays("hi");
    int held = bobPhone.store().history().size();
    await(alicePhone.typing(BOB, true));
    Received<Typing> typing = bobInbox.next(Typing.class);
    assertTrue(typing.content().typing());
    assertEquals(ALICE, typing.peer());
    await(alicePhone.typing(BOB, false));
    assertFalse(bobInbox.next(Typing.class).content().typing());
    assertEquals(held, bobPhone.store().history().size());
    aliceSays("sentinel");
    assertTrue(aliceLaptopInbox.received.isEmpty(), "Alice's own typing is not shown to her: "
        + aliceLaptopInbox.received);
  }
}
