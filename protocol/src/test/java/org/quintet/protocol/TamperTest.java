package org.quintet.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quintet.protocol.Conversation.bytes;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every byte of a sample of each message type is flipped (two masks) and every truncation is
 * tried: each must be refused, and the untouched message must still be accepted afterwards, so a
 * refusal changed no state.
 */
class TamperTest {
  private static final int[] MASKS = {0x01, 0x80};

  interface Receiver {
    void accept(byte[] message) throws Exception;
  }

  private static void assertEveryChangeRefused(byte[] message, Receiver receiver, int[] masks) {
    for (int i = 0; i < message.length; i++) {
      for (int mask : masks) {
        byte[] tampered = message.clone();
        tampered[i] ^= (byte) mask;
        int index = i;
        assertThrows(ProtocolException.class, () -> receiver.accept(tampered),
            () -> "byte " + index + " flipped with " + mask + " was accepted");
      }
    }
    for (int length = 0; length < message.length; length++) {
      byte[] truncated = Bytes.slice(message, 0, length);
      int n = length;
      assertThrows(ProtocolException.class, () -> receiver.accept(truncated),
          () -> "truncated to " + n + " bytes was accepted");
    }
  }

  @Test
  void ratchetMessage() throws Exception {
    Conversation c = new Conversation().established();
    byte[] message = c.aliceSession.encrypt(bytes("a ratchet message of a sample length"));
    assertEveryChangeRefused(message, c.bobSession::decrypt, MASKS);
    assertArrayEquals(bytes("a ratchet message of a sample length"), c.bobSession.decrypt(message));
  }

  @Test
  void preKeyMessage() throws Exception {
    Conversation c = new Conversation();
    Session alice = X3dh.initiate(KeySource.secure(), c.alice, c.bobBundle);
    byte[] message = alice.encrypt(bytes("first contact"));
    assertEveryChangeRefused(message, m -> X3dh.accept(KeySource.secure(), c.bob, c.bobStore, m), MASKS);
    X3dh.Accepted accepted = X3dh.accept(KeySource.secure(), c.bob, c.bobStore, message);
    assertArrayEquals(bytes("first contact"), accepted.plaintext());
  }

  @Test
  void deviceList() throws Exception {
    IdentityKeyPair account = IdentityKeyPair.generate(KeySource.secure());
    IdentityKeyPair companion = IdentityKeyPair.generate(KeySource.secure());
    byte[] list = DeviceList.sign(account, 3, 1_790_000_000_000L, List.of(
        DeviceCert.issue(account, 1, account.publicKey(), 1).counterSign(account),
        DeviceCert.issue(account, 2, companion.publicKey(), 2).counterSign(companion)));
    byte[] accountKey = account.signing().publicKey();
    assertEveryChangeRefused(list, l -> DeviceList.verify(l, accountKey, null), MASKS);
    DeviceList.verify(list, accountKey, null);
  }

  @Test
  void provisionMessage() throws Exception {
    X25519KeyPair q = KeySource.secure().newX25519();
    byte[] message = ProvisioningCipher.seal(KeySource.secure(), q.publicKey(), bytes("provisioning payload"));
    assertEveryChangeRefused(message, m -> ProvisioningCipher.open(q, m), MASKS);
    assertArrayEquals(bytes("provisioning payload"), ProvisioningCipher.open(q, message));
  }

  @Test
  void codeLinkingMessages() throws Exception {
    IdentityKeyPair companionIdentity = IdentityKeyPair.generate(KeySource.secure());
    CodePairing.Companion companion = CodePairing.Companion.start(KeySource.secure(), companionIdentity.publicKey());
    byte[] hello = companion.hello();
    // A changed hello is only noticed when the reply it leads to fails to open: the exchange fails.
    assertEveryChangeRefused(hello, h -> companion.openReply(
        CodePairing.Primary.respond(KeySource.secure(), companion.code(), h, bytes("reply")).reply()),
        new int[] {0x01});
    CodePairing.Primary primary = CodePairing.Primary.respond(KeySource.secure(), companion.code(), hello, bytes("reply"));
    assertEveryChangeRefused(primary.reply(), companion::openReply, MASKS);
    assertArrayEquals(bytes("reply"), companion.openReply(primary.reply()));
    byte[] confirm = companion.confirm(bytes("confirm"));
    assertEveryChangeRefused(confirm, primary::openConfirm, MASKS);
    assertArrayEquals(bytes("confirm"), primary.openConfirm(confirm));
  }

  @Test
  void envelopeParsesOnlyWhatItSays() throws Exception {
    byte[] envelope = new Envelope(Envelope.KIND_RATCHET_MESSAGE, new byte[16], 5, 6, "+8801711000001", 2, 3,
        bytes("opaque")).encode();
    for (int i = 0; i < envelope.length; i++) {
      for (int mask : MASKS) {
        byte[] tampered = envelope.clone();
        tampered[i] ^= (byte) mask;
        try {
          // Accepted only if the change shows in the parsed fields, never silently dropped.
          assertArrayEquals(tampered, Envelope.parse(tampered).encode());
        } catch (ProtocolException refused) {
          // refused is fine
        }
      }
    }
    for (int length = 0; length < envelope.length; length++) {
      byte[] truncated = Bytes.slice(envelope, 0, length);
      assertThrows(ProtocolException.class, () -> Envelope.parse(truncated));
    }
  }
}
