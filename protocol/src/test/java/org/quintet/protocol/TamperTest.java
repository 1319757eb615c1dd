package org.quintet.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quintet.protocol.Conversation.bytes;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every byte of a sample of each message type is flipped (two masks) and every truncation is
 * tried: each must be refused (the session messages with the exact code their position calls for,
 * as web/test/protocol/tamper.test.js checks), and the untouched message must still be accepted
 * afterwards, so a refusal changed no state.
 */
class TamperTest {
  private static final int[] MASKS = {0x01, 0x80};

  interface Receiver {
    void accept(byte[] message) throws Exception;
  }

  /** The code a change must be refused with: for the byte flipped with the mask, or a truncation to a length. */
  interface Codes {
    String flipped(int index, int mask);

    String truncated(int length);
  }

  /** As {@link #assertEveryChangeRefused(byte[], Receiver, int[])}, each refusal with the exact code its JS twin checks. */
  private static void assertEveryChangeRefusedWith(byte[] message, Receiver receiver, Codes codes) {
    for (int i = 0; i < message.length; i++) {
      for (int mask : MASKS) {
        byte[] tampered = message.clone();
        tampered[i] ^= (byte) mask;
        String what = "byte " + i + " ^ " + mask;
        ProtocolException refused = assertThrows(ProtocolException.class, () -> receiver.accept(tampered), what);
        assertEquals(codes.flipped(i, mask), refused.error().name(), what);
      }
    }
    for (int length = 0; length < message.length; length++) {
      byte[] truncated = Bytes.slice(message, 0, length);
      String what = "truncated to " + length;
      ProtocolException refused = assertThrows(ProtocolException.class, () -> receiver.accept(truncated), what);
      assertEquals(codes.truncated(length), refused.error().name(), what);
    }
  }

  private static long u32(byte[] bytes, int offset) {
    return ((bytes[offset] & 0xFFL) << 24) | ((bytes[offset + 1] & 0xFFL) << 16) | ((bytes[offset + 2] & 0xFFL) << 8)
        | (bytes[offset + 3] & 0xFFL);
  }

  private static long u32Flipped(byte[] bytes, int offset, int index, int mask) {
    byte[] copy = bytes.clone();
    copy[index] ^= (byte) mask;
    return u32(copy, offset);
  }

  /** Bit 255 of an X25519 public key (bit 7 of its last byte) is refused by the agreement itself. */
  private static boolean isTopBit(int keyStart, int index, int mask) {
    return index == keyStart + 31 && mask == 0x80;
  }

  /**
   * The code for a RatchetMessage at {@code base} that starts a chain the receiver has not seen
   * (counter at base + 38, previous counter at base + 34); {@code receivedOnChain} is how many the
   * receiver took on its current receiving chain (-1: it has none).
   */
  private static String newChainRatchetCode(byte[] message, int base, int index, int mask, long receivedOnChain) {
    int at = index - base;
    if (at == 0) {
      return "UNSUPPORTED_VERSION";
    }
    if (at == 1) {
      return "MALFORMED";
    }
    if (at >= 38 && at < 42) {
      return u32Flipped(message, base + 38, index, mask) > Limits.MAX_SKIP ? "TOO_MANY_SKIPPED" : "AUTH_FAILED";
    }
    if (at >= 34 && at < 38 && receivedOnChain >= 0
        && u32Flipped(message, base + 34, index, mask) - receivedOnChain > Limits.MAX_SKIP) {
      return "TOO_MANY_SKIPPED";
    }
    if (isTopBit(base + 2, index, mask)) {
      return "INVALID_KEY";
    }
    return "AUTH_FAILED";
  }

  @Test
  void ratchetMessage() throws Exception {
    Conversation c = new Conversation().established();
    byte[] message = c.aliceSession.encrypt(bytes("a ratchet message of a sample length"));
    // Bob took one message ("hi") on Alice's first chain; this one starts her next.
    assertEveryChangeRefusedWith(message, c.bobSession::decrypt, new Codes() {
      public String flipped(int index, int mask) {
        return newChainRatchetCode(message, 0, index, mask, 1);
      }

      public String truncated(int length) {
        return length < 58 ? "MALFORMED" : "AUTH_FAILED";
      }
    });
    assertArrayEquals(bytes("a ratchet message of a sample length"), c.bobSession.decrypt(message));
  }

  @Test
  void preKeyMessage() throws Exception {
    Conversation c = new Conversation();
    Session alice = X3dh.initiate(KeySource.secure(), c.alice, c.bobBundle);
    byte[] message = alice.encrypt(bytes("first contact"));
    assertEveryChangeRefusedWith(message, m -> X3dh.accept(KeySource.secure(), c.bob, c.bobStore, m), new Codes() {
      public String flipped(int i, int mask) {
        if (i == 0) {
          return "UNSUPPORTED_VERSION";
        }
        if (i == 1) {
          return "MALFORMED";
        }
        if (i >= 98 && i < 102) {
          return u32Flipped(message, 98, i, mask) == 0 ? "MALFORMED" : "UNKNOWN_PREKEY";
        }
        if (i >= 102 && i < 106) {
          return u32Flipped(message, 102, i, mask) == 0 ? "AUTH_FAILED" : "UNKNOWN_PREKEY";
        }
        if (isTopBit(2 + 32, i, mask) || isTopBit(66, i, mask)) {
          return "INVALID_KEY"; // the identity's agreement key, the base key
        }
        if (i < 106) {
          return "AUTH_FAILED"; // sender identity and base key feed the agreement and the AD
        }
        return newChainRatchetCode(message, 106, i, mask, -1);
      }

      public String truncated(int length) {
        return length < 164 ? "MALFORMED" : "AUTH_FAILED";
      }
    });
    X3dh.Accepted accepted = X3dh.accept(KeySource.secure(), c.bob, c.bobStore, message);
    assertArrayEquals(bytes("first contact"), accepted.plaintext());
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
