package org.quintet.client;

/**
 * Where a text is: one this account received is {@code UNREAD} until it was read on one of the
 * account's devices; one it sent goes from {@code SENT} to {@code DELIVERED} (a device of the
 * recipient took it) to {@code READ} (the recipient's read receipt came). Never back.
 */
public enum MessageStatus {
  UNREAD, SENT, DELIVERED, READ;

  /** The later of the two. */
  MessageStatus advancedTo(MessageStatus next) {
    return next.ordinal() > ordinal() ? next : this;
  }
}
