package org.quintet.protocol;

/**
 * A refused input. The message names the structure and the check, never key material or
 * plaintext, so it is safe to log and to send back to a peer.
 */
public final class ProtocolException extends Exception {
  private final ProtocolError error;

  public ProtocolException(ProtocolError error, String detail) {
    super(error + ": " + detail, null, false, false);
    this.error = error;
  }

  public ProtocolError error() {
    return error;
  }

  static ProtocolException malformed(String detail) {
    return new ProtocolException(ProtocolError.MALFORMED, detail);
  }
}
