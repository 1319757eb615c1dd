package org.quintet.protocol;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Two devices with real random keys and an established session, for behaviour tests. */
final class Conversation {
  final IdentityKeyPair alice = IdentityKeyPair.generate(KeySource.secure());
  final IdentityKeyPair bob = IdentityKeyPair.generate(KeySource.secure());
  final Store bobStore = new Store();
  final PreKeyBundle bobBundle;
  Session aliceSession;
  Session bobSession;

  Conversation() {
    SignedPreKey.Pair signed = SignedPreKey.generate(KeySource.secure(), bob, 1);
    OneTimePreKey.Pair oneTime = OneTimePreKey.generate(KeySource.secure(), 1);
    bobStore.signed.put(1L, signed.keyPair());
    bobStore.oneTime.put(1L, oneTime.keyPair());
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

  static final class Store implements PreKeyStore {
    final Map<Long, X25519KeyPair> signed = new HashMap<>();
    final Map<Long, X25519KeyPair> oneTime = new HashMap<>();

    @Override
    public X25519KeyPair signedPreKey(long id) {
      return signed.get(id);
    }

    @Override
    public X25519KeyPair oneTimePreKey(long id) {
      return oneTime.get(id);
    }

    @Override
    public void removeOneTimePreKey(long id) {
      oneTime.remove(id);
    }
  }
}
