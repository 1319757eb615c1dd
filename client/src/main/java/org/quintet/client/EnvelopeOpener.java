package org.quintet.client;

import io.vertx.core.Future;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.IdentityKey;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.PreKeyMessage;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;
import org.quintet.protocol.Session;
import org.quintet.protocol.X3dh;

/**
 * Decrypts a received message (kind 1 or 2) after checking that the sender's signed device list
 * gives the sending device the identity the message is from.
 *
 * <p>A device may hold several sessions with another (two devices that start sessions with each
 * other at once each end up with two): a message is tried with each, the active one first, and
 * the one that opens it becomes the active one, so both sides settle on the same session. A
 * prekey message that none of them opens starts a new session (docs/protocol.md 4).
 */
final class EnvelopeOpener {
  private final LocalStore store;
  private final AccountDirectory directory;
  private final KeySource source;

  EnvelopeOpener(LocalStore store, AccountDirectory directory, KeySource source) {
    this.store = store;
    this.directory = directory;
    this.source = source;
  }

  /** The plaintext; the stepped session is in the store, unsaved. */
  Future<byte[]> open(Envelope envelope) {
    return Futures.of(() -> {
      IdentityKey claimed = claimedIdentity(envelope);
      return directory.requireIdentity(envelope.source(), envelope.sourceDevice(), claimed)
          .compose(verified -> Futures.value(() -> decrypt(envelope, claimed)));
    });
  }

  /** The sender's identity: named by a prekey message, else the one of the active session. */
  private IdentityKey claimedIdentity(Envelope envelope) throws ProtocolException {
    if (envelope.kind() == Envelope.KIND_PREKEY_MESSAGE) {
      return PreKeyMessage.parse(envelope.content()).senderIdentity();
    }
    return store.session(envelope.source(), envelope.sourceDevice())
        .orElseThrow(() -> new ProtocolException(ProtocolError.NO_SESSION,
            "no session with device " + envelope.sourceDevice() + " of " + envelope.source()))
        .remoteIdentity();
  }

  private byte[] decrypt(Envelope envelope, IdentityKey verified) throws ProtocolException {
    String from = envelope.source();
    long device = envelope.sourceDevice();
    byte[] wire = envelope.content();
    ProtocolException refusal = null;
    for (Session session : store.sessions(from, device)) {
      if (!session.remoteIdentity().equals(verified)) {
        continue;
      }
      try {
        byte[] plaintext = session.decrypt(wire);
        store.putSession(from, device, session);
        return plaintext;
      } catch (ProtocolException e) {
        refusal = moreTelling(refusal, e);
      }
    }
    boolean startsSession = envelope.kind() == Envelope.KIND_PREKEY_MESSAGE
        && (refusal == null || refusal.error() == ProtocolError.WRONG_SESSION);
    if (!startsSession) {
      throw refusal != null ? refusal
          : new ProtocolException(ProtocolError.NO_SESSION, "no session with device " + device + " of " + from);
    }
    IdentityKeyPair identity = store.identity().orElseThrow();
    X3dh.Accepted accepted = X3dh.accept(source, identity, store, wire);
    store.putSession(from, device, accepted.session());
    return accepted.plaintext();
  }

  /**
   * Of two sessions' refusals, the one to report: a replay (only the session the message belongs
   * to can say so) over any other, any other over "another session's" (the session a prekey
   * message belongs to may be among the others), else the first (the active session's).
   */
  private static ProtocolException moreTelling(ProtocolException first, ProtocolException next) {
    if (first == null || next.error() == ProtocolError.DUPLICATE
        || first.error() == ProtocolError.WRONG_SESSION && next.error() != ProtocolError.WRONG_SESSION) {
      return next;
    }
    return first;
  }
}
