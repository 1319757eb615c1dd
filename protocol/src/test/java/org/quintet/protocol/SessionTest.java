package org.quintet.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.protocol.Conversation.bytes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SessionTest {
  private static ProtocolError refusal(Executable action) {
    return assertThrows(ProtocolException.class, action::run).error();
  }

  interface Executable {
    void run() throws Exception;
  }

  @Test
  void shuffledConversationWithRandomKeysArrivesOnceEach() throws Exception {
    Conversation c = new Conversation().established();
    Random order = new Random(7);
    for (int round = 0; round < 30; round++) {
      Session from = round % 2 == 0 ? c.aliceSession : c.bobSession;
      Session to = round % 2 == 0 ? c.bobSession : c.aliceSession;
      List<Integer> ids = new ArrayList<>();
      List<byte[]> messages = new ArrayList<>();
      for (int i = 0; i < 1 + round % 4; i++) {
        ids.add(i);
        messages.add(from.encrypt(bytes("round " + round + " #" + i)));
      }
      Collections.shuffle(ids, order);
      for (int i : ids) {
        assertArrayEquals(bytes("round " + round + " #" + i), to.decrypt(messages.get(i)));
        assertEquals(ProtocolError.DUPLICATE, refusal(() -> to.decrypt(messages.get(i))));
      }
    }
  }

  @Test
  void stepsCountEveryMessageThatChangedTheStateAndNoRefusal() throws Exception {
    Conversation c = new Conversation().established();
    long alice = c.aliceSession.steps();
    long bob = c.bobSession.steps();
    byte[] message = c.aliceSession.encrypt(bytes("one"));
    assertEquals(alice + 1, c.aliceSession.steps());
    c.bobSession.decrypt(message);
    assertEquals(bob + 1, c.bobSession.steps());
    assertThrows(ProtocolException.class, () -> c.bobSession.decrypt(message), "a replay");
    assertEquals(bob + 1, c.bobSession.steps(), "a refused message changed nothing");
    assertEquals(0, Session.fromBytes(KeySource.secure(), c.bobSession.toBytes()).steps(), "a read session starts at 0");
  }

  @Test
  void pendingUntilTheFirstReply() throws Exception {
    Conversation c = new Conversation();
    Session alice = X3dh.initiate(KeySource.secure(), c.alice, c.bobBundle);
    assertTrue(alice.isPending());
    byte[] first = alice.encrypt(bytes("one"));
    byte[] second = alice.encrypt(bytes("two"));
    assertEquals(MessageType.PREKEY, MessageType.ofSessionMessage(second));
    X3dh.Accepted accepted = X3dh.accept(KeySource.secure(), c.bob, c.bobStore, first);
    assertEquals(c.alice.publicKey(), accepted.senderIdentity());
    assertEquals(0, c.bobStore.oneTimePreKeyCount(), "the one-time prekey is used up");
    assertArrayEquals(bytes("two"), accepted.session().decrypt(second));
    alice.decrypt(accepted.session().encrypt(bytes("back")));
    assertFalse(alice.isPending());
    assertEquals(MessageType.RATCHET, MessageType.ofSessionMessage(alice.encrypt(bytes("plain"))));
    assertEquals(ProtocolError.UNKNOWN_PREKEY,
        refusal(() -> X3dh.accept(KeySource.secure(), c.bob, c.bobStore, first)));
  }

  @Test
  void badSignedPreKeyIsRefusedBeforeAnyKeyIsDrawn() {
    Conversation c = new Conversation();
    SignedPreKey spk = c.bobBundle.signedPreKey();
    byte[] badSignature = spk.signature().clone();
    badSignature[0] ^= 1;
    PreKeyBundle forged = new PreKeyBundle(c.bob.publicKey(),
        new SignedPreKey(spk.id(), spk.publicKey(), badSignature), c.bobBundle.oneTimePreKey());
    int[] draws = {0};
    KeySource counting = length -> {
      draws[0]++;
      return KeySource.secure().bytes(length);
    };
    assertEquals(ProtocolError.BAD_SIGNATURE, refusal(() -> X3dh.initiate(counting, c.alice, forged)));
    assertEquals(0, draws[0]);
  }

  @Test
  void skipBoundIsExact() throws Exception {
    Conversation c = new Conversation().established();
    for (int i = 0; i < Limits.MAX_SKIP; i++) {
      c.aliceSession.encrypt(bytes("lost"));
    }
    byte[] justInBound = c.aliceSession.encrypt(bytes("after a thousand lost"));
    assertArrayEquals(bytes("after a thousand lost"), c.bobSession.decrypt(justInBound));

    for (int i = 0; i <= Limits.MAX_SKIP; i++) {
      c.aliceSession.encrypt(bytes("lost"));
    }
    byte[] outOfBound = c.aliceSession.encrypt(bytes("too far"));
    assertEquals(ProtocolError.TOO_MANY_SKIPPED, refusal(() -> c.bobSession.decrypt(outOfBound)));
  }

  @Test
  void oldestSkippedKeysAreDiscardedBeyondTheLimit() throws Exception {
    Conversation c = new Conversation().established();
    List<byte[]> held = new ArrayList<>();
    // Three chains of 800 skipped keys each: 2400 > MAX_SKIPPED_KEYS, so the first chain's oldest go.
    for (int chain = 0; chain < 3; chain++) {
      for (int i = 0; i < 800; i++) {
        held.add(c.aliceSession.encrypt(bytes("held " + chain + "/" + i)));
      }
      c.bobSession.decrypt(c.aliceSession.encrypt(bytes("chain " + chain + " end")));
      c.aliceSession.decrypt(c.bobSession.encrypt(bytes("reply " + chain)));
    }
    assertEquals(ProtocolError.DUPLICATE, refusal(() -> c.bobSession.decrypt(held.get(0))));
    assertEquals(ProtocolError.DUPLICATE, refusal(() -> c.bobSession.decrypt(held.get(399))));
    assertArrayEquals(bytes("held 0/400"), c.bobSession.decrypt(held.get(400)));
    assertArrayEquals(bytes("held 2/799"), c.bobSession.decrypt(held.get(2399)));
  }

  @Test
  void sizeLimits() throws Exception {
    Conversation c = new Conversation().established();
    byte[] largest = new byte[Limits.MAX_PLAINTEXT];
    assertArrayEquals(largest, c.bobSession.decrypt(c.aliceSession.encrypt(largest)));
    assertEquals(ProtocolError.TOO_LARGE, refusal(() -> c.aliceSession.encrypt(new byte[Limits.MAX_PLAINTEXT + 1])));
    byte[] oversized = new byte[Limits.MAX_CONTENT + 1];
    oversized[0] = 1;
    oversized[1] = (byte) MessageType.RATCHET;
    assertEquals(ProtocolError.TOO_LARGE, refusal(() -> c.bobSession.decrypt(oversized)));
  }

  @Test
  void messagesOfOneSessionDoNotOpenInAnother() throws Exception {
    Conversation one = new Conversation().established();
    Conversation two = new Conversation().established();
    byte[] message = one.aliceSession.encrypt(bytes("for one"));
    assertEquals(ProtocolError.AUTH_FAILED, refusal(() -> two.bobSession.decrypt(message)));
    assertArrayEquals(bytes("for one"), one.bobSession.decrypt(message));
  }
}
