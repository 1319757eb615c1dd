package org.quintet.client;

/** The device is not (or no longer) registered, so it cannot do what was asked. */
public final class NotRegisteredException extends RuntimeException {
  public NotRegisteredException(String message) {
    super(message, null, false, false);
  }
}
