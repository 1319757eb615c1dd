package org.quintet.client;

/**
 * A content this client writes: everything but a history part. Each names its time and, on the
 * copies a sender makes for its own other devices, {@code peer}: the other account of the
 * conversation. Its encoding has the keys of docs/protocol.md's table in order, {@code peer} last.
 */
public sealed interface WritableContent extends Content
    permits Text, Reaction, Edit, Delete, DeleteForMe, Read, Typing, Profile, Settings, Attachment {
  /** The sender's time, milliseconds since the epoch. */
  long timestamp();

  String peer();

  /** The copy for the sender's own other devices. */
  WritableContent withPeer(String peer);

  /**
   * The plaintext. Throws {@link IllegalArgumentException} for a content its receivers would
   * refuse (an emoji with a space, a name too long), which is never sent.
   */
  byte[] encode();
}
