package org.quintet.relay.api;

import io.vertx.core.json.JsonObject;

/**
 * A refusal the API defines (docs/relay-api.md): an HTTP status, a machine-readable code and a
 * message for people, plus optional fields. The message never carries a secret or a plaintext.
 */
public final class ApiException extends RuntimeException {
  private final int status;
  private final String code;
  private final JsonObject extra;

  public ApiException(int status, String code, String message) {
    this(status, code, message, new JsonObject());
  }

  public ApiException(int status, String code, String message, JsonObject extra) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }

  public static ApiException invalid(String message) {
    return new ApiException(400, "INVALID_REQUEST", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public JsonObject body() {
    return extra.copy().put("error", code).put("message", getMessage());
  }
}
