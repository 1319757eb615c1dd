package org.quintet.client;

import org.quintet.protocol.Delivery.Close;

/**
 * The delivery connection ended. {@code code} is the WebSocket close code (-1 when there was
 * none), {@code reason} the relay's close reason (a word such as {@code removed}, see
 * {@link LogoutReason}; null when it gave none); {@code loggedOut} means this device is no longer
 * part of its account.
 */
public record ConnectionClosed(int code, String reason, boolean loggedOut) {
  /** What happened, for the user. */
  public String description() {
    if (loggedOut) {
      return "logged out (" + reason + "): " + LogoutReason.describe(reason);
    }
    if (code == Close.REPLACED) {
      return "another connection of this device replaced this one";
    }
    String what = code == -1 ? "the connection to the relay ended" : "the relay closed the connection";
    return what + (reason == null || reason.isEmpty() ? "" : ": " + reason);
  }
}
