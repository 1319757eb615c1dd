package org.quintet.relay.api;

import io.vertx.core.json.JsonObject;

/**
 * A refusal the API defines (docs/relay-api.md): one of {@link ApiError}, a message for people,
 * and optional fields. The message never carries a secret or a plaintext.
 */
public final class ApiException extends RuntimeException {
  private final ApiError error;
  private final JsonObject extra;

  public ApiException(ApiError error, String message) {
    this(error, message, new JsonObject());
  }

  public ApiException(ApiError error, String message, JsonObject extra) {
    super(message, null, false, false);
    this.error = error;
    this.extra = extra;
  }

  public static ApiException invalid(String message) {
    return new ApiException(ApiError.INVALID_REQUEST, message);
  }

  public ApiError error() {
    return error;
  }

  public int status() {
    return error.status();
  }

  public String code() {
    return error.code();
  }

  public JsonObject body() {
    return extra.copy().put("error", error.code()).put("message", getMessage());
  }
}
