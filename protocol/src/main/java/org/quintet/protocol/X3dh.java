package org.quintet.protocol;

import java.util.Arrays;

/** Session set-up between two devices (docs/protocol.md section 4). */
public final class X3dh {
  private static final byte[] ZERO_SALT = new byte[32];
  private static final byte[] PREFIX = filled((byte) 0xFF);

  private X3dh() {}

  /** The initiator's side: verifies the bundle's signed prekey and starts a pending session. */
  public static Session initiate(KeySource source, IdentityKeyPair ours, PreKeyBundle bundle)
      throws ProtocolException {
    IdentityKey theirs = bundle.identity();
    SignedPreKey signedPreKey = bundle.signedPreKey();
    signedPreKey.verify(theirs);
    X25519KeyPair base = source.newX25519();
    byte[] dh1 = ours.agreement().agree(signedPreKey.publicKey());
    byte[] dh2 = base.agree(theirs.dhKey());
    byte[] dh3 = base.agree(signedPreKey.publicKey());
    byte[] dh4 = bundle.oneTimePreKey().isPresent()
        ? base.agree(bundle.oneTimePreKey().get().publicKey())
        : new byte[0];
    byte[] secret = sharedSecret(dh1, dh2, dh3, dh4);
    long oneTimeId = bundle.oneTimePreKey().map(OneTimePreKey::id).orElse(0L);

    Session session = new Session(source,
        Bytes.concat(ours.publicKey().encode(), theirs.encode()), theirs, null, secret,
        source.newX25519());
    session.startSending(signedPreKey.publicKey(), new Session.PendingPreKey(
        ours.publicKey(), base.publicKey(), signedPreKey.id(), oneTimeId));
    return session;
  }

  /**
   * The responder's side: builds the session a prekey message starts and decrypts its first
   * message. The one-time prekey it used is removed from the store only on success.
   */
  public static Accepted accept(KeySource source, IdentityKeyPair ours, PreKeyStore store, byte[] wire)
      throws ProtocolException {
    if (MessageType.ofSessionMessage(wire) != MessageType.PREKEY) {
      throw new ProtocolException(ProtocolError.NO_SESSION, "a ratchet message cannot start a session");
    }
    PreKeyMessage message = PreKeyMessage.parse(wire);
    X25519KeyPair signed = store.signedPreKey(message.signedPreKeyId());
    if (signed == null) {
      throw new ProtocolException(ProtocolError.UNKNOWN_PREKEY, "signed prekey " + message.signedPreKeyId());
    }
    long oneTimeId = message.oneTimePreKeyId();
    X25519KeyPair oneTime = null;
    if (oneTimeId != 0) {
      oneTime = store.oneTimePreKey(oneTimeId);
      if (oneTime == null) {
        throw new ProtocolException(ProtocolError.UNKNOWN_PREKEY, "one-time prekey " + oneTimeId);
      }
    }
    IdentityKey theirs = message.senderIdentity();
    byte[] baseKey = message.baseKey();
    byte[] dh1 = signed.agree(theirs.dhKey());
    byte[] dh2 = ours.agreement().agree(baseKey);
    byte[] dh3 = signed.agree(baseKey);
    byte[] dh4 = oneTime != null ? oneTime.agree(baseKey) : new byte[0];
    byte[] secret = sharedSecret(dh1, dh2, dh3, dh4);

    Session session = new Session(source,
        Bytes.concat(theirs.encode(), ours.publicKey().encode()), theirs, message.outerFields(), secret, signed);
    byte[] plaintext = session.decrypt(message.message());
    if (oneTime != null) {
      store.removeOneTimePreKey(oneTimeId);
    }
    return new Accepted(session, plaintext, theirs, oneTimeId);
  }

  private static byte[] sharedSecret(byte[] dh1, byte[] dh2, byte[] dh3, byte[] dh4) {
    return Crypto.hkdf(ZERO_SALT, Bytes.concat(PREFIX, dh1, dh2, dh3, dh4), "Quintet v1 x3dh", 32);
  }

  private static byte[] filled(byte value) {
    byte[] out = new byte[32];
    Arrays.fill(out, value);
    return out;
  }

  /** A session a prekey message started, with its first plaintext. */
  public record Accepted(Session session, byte[] plaintext, IdentityKey senderIdentity, long oneTimePreKeyId) {}
}
