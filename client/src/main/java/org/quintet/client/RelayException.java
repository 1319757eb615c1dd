package org.quintet.client;

import io.vertx.core.json.JsonObject;

/**
 * The relay answered with an error ({@code {"error": CODE, "message": text}}, docs/relay-api.md).
 * {@link #details()} is the whole answer, for fields such as {@code attemptsLeft},
 * {@code retryAfterSeconds} or {@code mismatches}.
 */
public class RelayException extends RuntimeException {
  private final int status;
  private final String code;
  private final JsonObject details;

  public RelayException(int status, String code, String message, JsonObject details) {
    super(code + ": " + message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details.copy();
  }

  /** The refusal the relay answered, as its most specific type ({@link QueueFullException} for a full queue). */
  static RelayException of(int status, String code, String message, JsonObject details) {
    if (QueueFullException.CODE.equals(code)) {
      return new QueueFullException(status, message, details);
    }
    return new RelayException(status, code, message, details);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public JsonObject details() {
    return details.copy();
  }

  public boolean is(int status, String code) {
    return this.status == status && this.code.equals(code);
  }
}
