package org.quintet.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.protocol.Conversation.bytes;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionPersistenceTest {
  private static ProtocolError refusal(SessionTest.Executable action) {
    return assertThrows(ProtocolException.class, action::run).error();
  }

  private static Session restored(Session session) throws ProtocolException {
    byte[] saved = session.toBytes();
    Session copy = Session.fromBytes(KeySource.secure(), saved);
    assertArrayEquals(saved, copy.toBytes(), "a restored session saves to the same bytes");
    return copy;
  }

  @Test
  void bothSidesRestoredMidConversationContinueWithHeldMessages() throws Exception {
    Conversation c = new Conversation().established();
    // Alice sends on two chains; Bob sees only the last of each, so he holds skipped keys on both
    // and remembers a replaced receiving chain.
    List<byte[]> heldFromFirstChain = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      heldFromFirstChain.add(c.aliceSession.encrypt(bytes("first chain " + i)));
    }
    byte[] firstChainLast = c.aliceSession.encrypt(bytes("first chain end"));
    assertArrayEquals(bytes("first chain end"), c.bobSession.decrypt(firstChainLast));
    c.aliceSession.decrypt(c.bobSession.encrypt(bytes("turn")));
    byte[] heldFromSecondChain = c.aliceSession.encrypt(bytes("second chain 0"));
    byte[] secondChainLast = c.aliceSession.encrypt(bytes("second chain end"));
    assertArrayEquals(bytes("second chain end"), c.bobSession.decrypt(secondChainLast));
    byte[] inFlightToAlice = c.bobSession.encrypt(bytes("in flight to alice"));

    Session alice = restored(c.aliceSession);
    Session bob = restored(c.bobSession);

    assertArrayEquals(bytes("second chain 0"), bob.decrypt(heldFromSecondChain));
    for (int i = 2; i >= 0; i--) {
      assertArrayEquals(bytes("first chain " + i), bob.decrypt(heldFromFirstChain.get(i)));
    }
    assertEquals(ProtocolError.DUPLICATE, refusal(() -> bob.decrypt(heldFromFirstChain.get(1))));
    assertEquals(ProtocolError.DUPLICATE, refusal(() -> bob.decrypt(firstChainLast)));
    assertEquals(ProtocolError.DUPLICATE, refusal(() -> bob.decrypt(secondChainLast)));

    assertArrayEquals(bytes("in flight to alice"), alice.decrypt(inFlightToAlice));
    assertArrayEquals(bytes("after restore"), bob.decrypt(alice.encrypt(bytes("after restore"))));
    assertArrayEquals(bytes("and back"), alice.decrypt(bob.encrypt(bytes("and back"))));
  }

  @Test
  void pendingAndAcceptedPreKeyFieldsSurvive() throws Exception {
    Conversation c = new Conversation();
    Session alice = restored(X3dh.initiate(KeySource.secure(), c.alice, c.bobBundle));
    byte[] first = alice.encrypt(bytes("one"));
    alice = restored(alice);
    assertTrue(alice.isPending());
    byte[] second = alice.encrypt(bytes("two"));
    assertEquals(MessageType.PREKEY, MessageType.ofSessionMessage(second), "still pending after restore");

    Session bob = restored(X3dh.accept(KeySource.secure(), c.bob, c.bobStore, first).session());
    assertArrayEquals(bytes("two"), bob.decrypt(second), "a further prekey message of the session");
    assertEquals(ProtocolError.DUPLICATE, refusal(() -> restored(bob).decrypt(first)));
    assertEquals(c.alice.publicKey(), bob.remoteIdentity());

    Session aliceAgain = restored(alice);
    aliceAgain.decrypt(bob.encrypt(bytes("reply")));
    assertFalse(restored(aliceAgain).isPending());
  }

  @Test
  void restoredSessionRefusesBadInput() throws Exception {
    byte[] saved = new Conversation().established().bobSession.toBytes();
    assertEquals(ProtocolError.MALFORMED, refusal(() -> Session.fromBytes(KeySource.secure(), new byte[0])));
    byte[] otherVersion = saved.clone();
    otherVersion[0] = 2;
    assertEquals(ProtocolError.UNSUPPORTED_VERSION, refusal(() -> Session.fromBytes(KeySource.secure(), otherVersion)));
    byte[] otherType = saved.clone();
    otherType[1] = MessageType.RATCHET;
    assertEquals(ProtocolError.MALFORMED, refusal(() -> Session.fromBytes(KeySource.secure(), otherType)));
    byte[] unknownFlag = saved.clone();
    unknownFlag[2] |= (byte) 0x80;
    assertEquals(ProtocolError.MALFORMED, refusal(() -> Session.fromBytes(KeySource.secure(), unknownFlag)));
    byte[] foreignIdentity = saved.clone();
    foreignIdentity[3 + 128] ^= 1;
    assertEquals(ProtocolError.MALFORMED, refusal(() -> Session.fromBytes(KeySource.secure(), foreignIdentity)));
    assertEquals(ProtocolError.MALFORMED,
        refusal(() -> Session.fromBytes(KeySource.secure(), Bytes.slice(saved, 0, saved.length - 1))));
    assertEquals(ProtocolError.MALFORMED,
        refusal(() -> Session.fromBytes(KeySource.secure(), Bytes.concat(saved, new byte[1]))));
  }
}
