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

  /** A device was linked to or removed from this account; the account's list was fetched again. */
  default void onDevicesChanged() {}

  default void onUnreadable(UnreadableMessage message) {}

  /**
   * A problem that lost nothing; the message concerned comes again on the next connection. For
   * example the relay could not be asked for a device list, or the sender's account key changed
   * (a {@code ProtocolException} with {@code ACCOUNT_MISMATCH}: its messages wait until
   * {@link QuintetClient#trust}).
   */
  default void onError(Throwable error) {}

  default void onClosed(ConnectionClosed closed) {}
}
