package org.quintet.relay.api;

/**
 * Every refusal the API defines, with its HTTP status and its code on the wire (the "error" field).
 * Clients branch on the code, so a code never changes; docs/relay-api.md lists them all. A code
 * may come with two statuses (a device unknown at log-in is 401, elsewhere 404): each pair is a
 * constant of its own.
 */
public enum ApiError {
  INVALID_REQUEST(400),
  INVALID_NUMBER(400),
  INVALID_DEVICE_LIST(400),
  UNKNOWN_DEVICE_IN_LIST(400),
  INVALID_CERT(400),
  CANNOT_REMOVE_PRIMARY(400),
  TOO_MANY_PREKEYS(400),
  BAD_CHALLENGE(401),
  /**
   * Log-in by a device the relay does not know (it was removed, or never linked), or with a
   * signature that does not verify: one answer for both, so log-in reveals no registered number.
   */
  UNKNOWN_DEVICE_AT_LOGIN(401, "UNKNOWN_DEVICE"),
  UNAUTHORIZED(401),
  DEVICE_GONE(401),
  TOKEN_EXPIRED(401),
  WRONG_CODE(403),
  NOT_PRIMARY(403),
  NOT_ALLOWED(403),
  TOO_MANY_DEVICES(403),
  NOT_FOUND(404),
  UNKNOWN_ACCOUNT(404),
  UNKNOWN_DEVICE(404),
  /** A known path with another method: the API names no method it does not serve. */
  METHOD_NOT_ALLOWED(405, "NOT_FOUND"),
  /** An attachment blob that does not exist, is not uploaded yet or has expired. */
  UNKNOWN_BLOB(404),
  LIST_VERSION_CONFLICT(409),
  /** A tus PATCH at another offset than the upload's, or while another PATCH of it runs: ask for the offset again. */
  UPLOAD_OFFSET_CONFLICT(409),
  DEVICE_ID_TAKEN(409),
  ACCOUNT_REPLACED(409),
  DEVICE_MISMATCH(409),
  NO_PENDING_CODE(410),
  /** A tus request without {@code Tus-Resumable: 1.0.0}. */
  UNSUPPORTED_TUS_VERSION(412),
  TOO_LARGE(413),
  RATE_LIMITED(429),
  TOO_MANY_ATTEMPTS(429),
  INTERNAL(500),
  /** A body that is not declared as JSON ({@code application/json}, optionally with charset UTF-8). */
  UNSUPPORTED_MEDIA_TYPE(415),
  /** The request line (method, path and query) is over the server's limit. */
  URI_TOO_LONG(414),
  /** The request's headers are over the server's limit. */
  HEADERS_TOO_LARGE(431),
  /** The relay could not hand a registration code to its sender (the SMS gateway failed): nothing was counted. */
  VERIFICATION_UNAVAILABLE(503),
  /** A send would take a device's queue past its quota (envelopes or bytes): nothing of it was queued. */
  QUEUE_FULL(507),
  /** A new attachment would take the account's attachments past their quota. */
  OVER_QUOTA(507);

  private final int status;
  private final String code;

  ApiError(int status) {
    this.status = status;
    this.code = name();
  }

  ApiError(int status, String code) {
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  /** The code on the wire. */
  public String code() {
    return code;
  }
}
