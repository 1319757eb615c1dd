package org.quintet.protocol;

import java.util.Optional;

/** Two devices with real random keys and an established session, for behaviour tests. */
final class Conversation {
  final IdentityKeyPair alice = IdentityKeyPair.generate(KeySource.secure());
  final IdentityKeyPair bob = IdentityKeyPair.generate(KeySource.secure());
  final MemoryPreKeyStore bobStore = new MemoryPreKeyStore();
  final PreKeyBundle bobBundle;
  Session aliceSession;
  Session bobSession;

  Conversation() {
    SignedPreKey.Pair signed = SignedPreKey.generate(KeySource.secure(), bob, 1);
    OneTimePreKey.Pair oneTime = OneTimePreKey.generate(KeySource.secure(), 1);
    bobStore.addSignedPreKey(1, signed.keyPair()).addOneTimePreKey(1, oneTime.keyPair());
    bobBundle = new PreKeyBundle(bob.publicKey(), signed.record(), Optional.of(oneTime.record()));
  }

  /** Runs set-up and one message each way, so both sides hold plain ratchet sessions. */
  Conversation established() throws ProtocolException {
    aliceSession = X3dh.initiate(KeySource.secure(), alice, bobBundle);
    X3dh.Accepted accepted = X3dh.accept(KeySource.secure(), bob, bobStore, aliceSession.encrypt(bytes("hi")));
    bobSession = accepted.session();
    aliceSession.decrypt(bobSession.encrypt(bytes("hello")));
    return this;
  }

  static byte[] bytes(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
