package org.quintet.client;

/**
 * What a receiving client reports, in the order it happened. Called on the client's event loop:
 * an implementation must not block.
 */
public interface MessageListener {
  /** A text (a reply among them), already saved and acknowledged. */
  void onMessage(IncomingMessage message);

  /** A device of the recipient took a text: the relay's delivery receipt; the text is now delivered. */
  default void onReceipt(Receipt receipt) {}

  /** A reaction to a text of the conversation, or one taken back (an empty emoji), now kept with it. */
  default void onReaction(Received<Reaction> reaction) {}

  /** The author's new text of a message, now kept in its place (and marked edited). */
  default void onEdit(Received<Edit> edit) {}

  /** The author deleted a message for everyone; its text is gone from this device. */
  default void onDelete(Received<Delete> delete) {}

  /** Another device of this account deleted messages for this account; they are gone from this device. */
  default void onDeleteForMe(Received<DeleteForMe> deleted) {}

  /**
   * Texts were read: from the peer, a read receipt (the account's sent texts are now read); from
   * another device of this account, the conversation was read there (its unread texts here too).
   */
  default void onRead(Received<Read> read) {}

  /** The peer is typing, or stopped; nothing is kept. */
  default void onTyping(Received<Typing> typing) {}

  /** An account (this one, from another of its devices) shows a new name; it is kept. */
  default void onProfile(Received<Profile> profile) {}

  /** Another device of this account changed the account's settings; they are kept. */
  default void onSettings(Received<Settings> settings) {}

  /** Everything the relay had queued for this device so far was delivered. */
  default void onQueueEmpty() {}

  /** The relay linked a device to this account; its primary signs it into the device list next. */
  default void onDeviceLinked(long deviceId) {}

  /**
   * This account's devices changed (a device was linked, removed, logged out or unlinked); the
   * account's list was fetched and verified again.
   */
  default void onDevicesChanged(DeviceChanges changes) {}

  /** A part of the history the primary sends a newly linked companion was saved. */
  default void onHistory(HistoryProgress progress) {}

  default void onUnreadable(UnreadableMessage message) {}

  /** A message of a content type a newer client sent; it was acknowledged. */
  default void onUnsupported(UnsupportedMessage message) {}

  /**
   * A problem that lost nothing; the message concerned comes again on the next connection. For
   * example the relay could not be asked for a device list, or the sender's account key changed
   * (a {@code ProtocolException} with {@code ACCOUNT_MISMATCH}: its messages wait until
   * {@link QuintetClient#trust}).
   */
  default void onError(Throwable error) {}

  /**
   * The connection ended for good: this device was logged out, or another connection of it took
   * over. A connection that is merely lost is opened again instead ({@link #onReconnecting}).
   */
  default void onClosed(ConnectionClosed closed) {}

  /** The connection was lost ({@code closed} says how); it is opened again in {@code delayMillis}. */
  default void onReconnecting(ConnectionClosed closed, long delayMillis) {}

  /** The connection is open again; what was queued meanwhile follows. */
  default void onReconnected() {}
}
