package org.quintet.client;

/** No answer from the relay: it could not be reached, or the connection broke. */
public final class RelayUnreachableException extends RuntimeException {
  public RelayUnreachableException(String relayUrl, Throwable cause) {
    super("cannot reach the relay at " + relayUrl + ": " + describe(cause), cause, false, false);
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }
}
