package org.quintet.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.protocol.Conversation.bytes;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LinkingTest {
  @Test
  void codeLinkingWithTheRightCode() throws Exception {
    IdentityKeyPair identity = IdentityKeyPair.generate(KeySource.secure());
    CodePairing.Companion companion = CodePairing.Companion.start(KeySource.secure(), identity.publicKey());
    assertTrue(companion.code().matches("[1-9A-HJ-NP-TV-Z]{4}-[1-9A-HJ-NP-TV-Z]{4}"), companion.code());
    String typed = companion.code().toLowerCase(java.util.Locale.ROOT).replace("-", " ");
    CodePairing.Primary primary = CodePairing.Primary.respond(KeySource.secure(), typed, companion.hello(), bytes("r"));
    assertArrayEquals(bytes("r"), companion.openReply(primary.reply()));
    assertArrayEquals(bytes("c"), primary.openConfirm(companion.confirm(bytes("c"))));
    assertEquals(identity.publicKey(), primary.companionIdentity());
  }

  @Test
  void aWrongCodeFailsAndLeavesTheCompanionReadyForTheRightOne() throws Exception {
    IdentityKeyPair identity = IdentityKeyPair.generate(KeySource.secure());
    CodePairing.Companion companion = CodePairing.Companion.start(KeySource.secure(), identity.publicKey());
    String wrong = companion.code().startsWith("2") ? "3333-3333" : "2222-2222";
    byte[] badReply = CodePairing.Primary.respond(KeySource.secure(), wrong, companion.hello(), bytes("r")).reply();
    ProtocolException e = assertThrows(ProtocolException.class, () -> companion.openReply(badReply));
    assertEquals(ProtocolError.AUTH_FAILED, e.error());
    assertThrows(IllegalStateException.class, () -> companion.confirm(bytes("c")));
    byte[] goodReply = CodePairing.Primary.respond(KeySource.secure(), companion.code(), companion.hello(), bytes("r"))
        .reply();
    assertArrayEquals(bytes("r"), companion.openReply(goodReply));
  }

  @Test
  void aRelayThatSwapsInItsOwnIdentityGetsNoConfirmation() throws Exception {
    IdentityKeyPair honest = IdentityKeyPair.generate(KeySource.secure());
    IdentityKeyPair relay = IdentityKeyPair.generate(KeySource.secure());
    CodePairing.Companion companion = CodePairing.Companion.start(KeySource.secure(), honest.publicKey());
    byte[] hello = companion.hello();
    System.arraycopy(relay.publicKey().encode(), 0, hello, 66, 64);
    CodePairing.Primary primary = CodePairing.Primary.respond(KeySource.secure(), companion.code(), hello, bytes("r"));
    assertEquals(ProtocolError.AUTH_FAILED,
        assertThrows(ProtocolException.class, () -> companion.openReply(primary.reply())).error());
  }

  @Test
  void codesUseTheWholeAlphabet() {
    Set<Character> seen = new HashSet<>();
    for (int i = 0; i < 400; i++) {
      for (char ch : LinkCode.generate(KeySource.secure()).toCharArray()) {
        seen.add(ch);
      }
    }
    assertEquals(LinkCode.ALPHABET.length(), seen.size());
  }

  @Test
  void provisioningRoundTripWithRandomKeys() throws Exception {
    X25519KeyPair q = KeySource.secure().newX25519();
    byte[] message = ProvisioningCipher.seal(KeySource.secure(), q.publicKey(), bytes("payload"));
    assertArrayEquals(bytes("payload"), ProvisioningCipher.open(q, message));
    X25519KeyPair other = KeySource.secure().newX25519();
    assertEquals(ProtocolError.AUTH_FAILED,
        assertThrows(ProtocolException.class, () -> ProvisioningCipher.open(other, message)).error());
  }

  @Test
  void safetyNumberIsSymmetricAndKeyBound() throws ProtocolException {
    byte[] a = IdentityKeyPair.generate(KeySource.secure()).signing().publicKey();
    byte[] b = IdentityKeyPair.generate(KeySource.secure()).signing().publicKey();
    byte[] c = IdentityKeyPair.generate(KeySource.secure()).signing().publicKey();
    String ab = SafetyNumber.between(a, "+8801711000001", b, "+8801811000002");
    assertEquals(60, ab.length());
    assertEquals(ab, SafetyNumber.between(b, "+8801811000002", a, "+8801711000001"));
    assertTrue(!ab.equals(SafetyNumber.between(a, "+8801711000001", c, "+8801811000002")));
    assertEquals(12, SafetyNumber.display(ab).split(" ").length);
    assertEquals(ProtocolError.MALFORMED,
        assertThrows(ProtocolException.class, () -> SafetyNumber.fingerprint(a, "01711000001")).error());
  }
}
