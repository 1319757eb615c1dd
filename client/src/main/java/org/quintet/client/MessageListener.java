package org.quintet.client;

/**
 * What a receiving client reports, in the order it happened. Called on the client's event loop:
 * an implementation must not block.
 */
public interface MessageListener {
  /** A text, already saved and acknowledged. */
  void onMessage(IncomingMessage message);

  default void onReceipt(Receipt receipt) {}

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
