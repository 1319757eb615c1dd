package org.quintet.client;

/**
 * The delivery connection ended. {@code code} is the WebSocket close code (-1 when there was
 * none); {@code loggedOut} means this device is no longer part of its account.
 */
public record ConnectionClosed(int code, String reason, boolean loggedOut) {
  /** A newer connection of this device replaced this one. */
  public static final int REPLACED = 4000;
  /** This device was removed from its account. */
  public static final int DEVICE_REMOVED = 4001;
  /** The number was registered on a new primary. */
  public static final int NUMBER_MOVED = 4002;
}
