package org.quintet.protocol;

/** Why the protocol refused an input; the same codes, spelled the same, as the JavaScript twin. */
public enum ProtocolError {
  MALFORMED,
  UNSUPPORTED_VERSION,
  TOO_LARGE,
  INVALID_KEY,
  BAD_SIGNATURE,
  UNSIGNED,
  ACCOUNT_MISMATCH,
  UNTRUSTED_DEVICE,
  NO_PRIMARY,
  STALE_LIST,
  CONFLICTING_LIST,
  UNKNOWN_PREKEY,
  WRONG_SESSION,
  NO_SESSION,
  AUTH_FAILED,
  DUPLICATE,
  TOO_MANY_SKIPPED,
  INVALID_CODE
}
