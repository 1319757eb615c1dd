package org.quintet.protocol;

/** The responder's private prekeys, as X3DH needs them (section 4). */
public interface PreKeyStore {
  /** The signed prekey with this id, or null when it is not held (any more). */
  X25519KeyPair signedPreKey(long id);

  /** The one-time prekey with this id, or null when it is not held (used or never made). */
  X25519KeyPair oneTimePreKey(long id);

  /** Called once the session that used it is established. */
  void removeOneTimePreKey(long id);
}
