package org.quintet.protocol.vectors;

import java.util.Optional;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.MemoryPreKeyStore;
import org.quintet.protocol.OneTimePreKey;
import org.quintet.protocol.PreKeyBundle;
import org.quintet.protocol.ProtocolException;
import org.quintet.protocol.Session;
import org.quintet.protocol.SignedPreKey;
import org.quintet.protocol.TestKeySource;
import org.quintet.protocol.X3dh;

/** One device in a scripted conversation, drawing from its own deterministic source. */
final class Party {
  final TestKeySource source;
  final IdentityKeyPair identity;
  final MemoryPreKeyStore store = new MemoryPreKeyStore();
  SignedPreKey signedPreKey;
  OneTimePreKey oneTimePreKey;
  Session session;

  Party(byte[] seed) {
    this.source = new TestKeySource(seed);
    this.identity = IdentityKeyPair.generate(source);
  }

  /** Draws the signed prekey, then (id not 0) the one-time prekey. */
  void makePreKeys(long signedId, long oneTimeId) {
    SignedPreKey.Pair signed = SignedPreKey.generate(source, identity, signedId);
    signedPreKey = signed.record();
    store.addSignedPreKey(signedId, signed.keyPair());
    if (oneTimeId != 0) {
      OneTimePreKey.Pair oneTime = OneTimePreKey.generate(source, oneTimeId);
      oneTimePreKey = oneTime.record();
      store.addOneTimePreKey(oneTimeId, oneTime.keyPair());
    }
  }

  PreKeyBundle bundle() {
    return new PreKeyBundle(identity.publicKey(), signedPreKey, Optional.ofNullable(oneTimePreKey));
  }

  void initiate(Party responder) throws ProtocolException {
    session = X3dh.initiate(source, identity, responder.bundle());
  }

  byte[] encrypt(byte[] plaintext) throws ProtocolException {
    return session.encrypt(plaintext);
  }

  /** The first message to a responder without a session is an X3DH accept. */
  byte[] decrypt(byte[] message) throws ProtocolException {
    if (session == null) {
      X3dh.Accepted accepted = X3dh.accept(source, identity, store, message);
      session = accepted.session();
      return accepted.plaintext();
    }
    return session.decrypt(message);
  }

  byte[] accept(byte[] message) throws ProtocolException {
    return X3dh.accept(source, identity, store, message).plaintext();
  }
}
