package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.Delivery.Reason;
import org.quintet.protocol.IdentityKeyPair;

/**
 * Authenticated calls: proves the device holds its identity key (challenge signature) for a
 * bearer token, keeps the token until shortly before it expires, and gets a new one when the
 * relay says {@code TOKEN_EXPIRED}. A relay that no longer knows the device logs it out locally.
 */
final class RelayAuth {
  /** Ask for a new token this long before the relay's expiry, so a request never races it. */
  private static final long EXPIRY_MARGIN_MS = 60_000;
  private final RelayApi api;
  private final LocalStore store;
  private final StoreWriter writer;
  private Future<String> token;
  private long tokenExpiresAt;

  RelayAuth(RelayApi api, LocalStore store, StoreWriter writer) {
    this.api = api;
    this.store = store;
    this.writer = writer;
  }

  Future<JsonObject> call(HttpMethod method, String path, JsonObject body) {
    return token().compose(t -> api.call(method, path, t, body)).recover(error -> {
      if (error instanceof RelayException refused && refused.is(401, "TOKEN_EXPIRED")) {
        invalidate();
        return token().compose(t -> api.call(method, path, t, body));
      }
      return Future.failedFuture(error);
    }).recover(this::loggedOutWhenGone);
  }

  /**
   * A request of another shape than JSON in, JSON out (an attachment's bytes), with a valid token,
   * made again with a new token when the relay says {@code TOKEN_EXPIRED}.
   */
  <T> Future<T> withToken(java.util.function.Function<String, Future<T>> request) {
    return token().compose(request).recover(error -> {
      if (error instanceof RelayException refused && refused.is(401, "TOKEN_EXPIRED")) {
        invalidate();
        return token().compose(request);
      }
      return Future.failedFuture(error);
    }).recover(this::loggedOutWhenGone);
  }

  /**
   * {@link #call}, and again after the wait when the relay answers {@code 429 RATE_LIMITED} with
   * a short one (a primary sending a long history in a burst, say), up to {@code tries} times: a
   * refused request changed nothing on the relay, so the same request may go again. A longer wait
   * fails as the relay's refusal, for the user to hear.
   */
  Future<JsonObject> callWaitingOutLimits(HttpMethod method, String path, JsonObject body, int tries) {
    return call(method, path, body).recover(error -> {
      long wait = error instanceof RelayException refused && refused.is(429, "RATE_LIMITED")
          ? refused.details().getLong("retryAfterSeconds", Long.MAX_VALUE) : Long.MAX_VALUE;
      if (tries <= 1 || wait > RelayApi.LONGEST_WAIT.toSeconds()) {
        return Future.failedFuture(error);
      }
      return api.after(Math.max(wait, 1)).compose(v -> callWaitingOutLimits(method, path, body, tries - 1));
    });
  }

  /** A valid token: the cached one, or a new one from a fresh challenge. */
  Future<String> token() {
    if (token == null || System.currentTimeMillis() >= tokenExpiresAt) {
      Future<String> requested = requestToken().recover(this::loggedOutWhenGone);
      token = requested;
      requested.onFailure(e -> {
        if (token == requested) {
          token = null;
        }
      });
      return requested;
    }
    return token;
  }

  void invalidate() {
    token = null;
  }

  private Future<String> requestToken() {
    IdentityKeyPair identity = store.identity()
        .orElseThrow(() -> new NotRegisteredException("this device has no identity; register or link it first"));
    String number = store.number();
    long deviceId = store.deviceId();
    return api.call(HttpMethod.GET, "/v1/auth/challenge", null, null).compose(answer -> {
      byte[] challenge = Base64.getDecoder().decode(answer.getString("challenge", ""));
      byte[] signature = identity.sign(Bytes.concat(Bytes.context("relay auth"), challenge, Bytes.ascii(number),
          Bytes.u32(deviceId)));
      JsonObject request = new JsonObject().put("number", number).put("deviceId", deviceId)
          .put("challenge", answer.getString("challenge")).put("signature", Base64.getEncoder().encodeToString(signature));
      long requestedAt = System.currentTimeMillis();
      return api.call(HttpMethod.POST, "/v1/auth/token", null, request).map(issued -> {
        long lifetime = issued.getLong("expiresInSeconds", 0L) * 1000;
        tokenExpiresAt = requestedAt + lifetime - Math.min(EXPIRY_MARGIN_MS, lifetime / 2);
        return issued.getString("token");
      });
    });
  }

  private <T> Future<T> loggedOutWhenGone(Throwable error) {
    if (!(error instanceof RelayException refused)) {
      return Future.failedFuture(error);
    }
    boolean gone = refused.is(401, "DEVICE_GONE") || refused.is(401, "UNKNOWN_DEVICE");
    // A primary cannot be removed, and its signature is refused only when another key holds its
    // place: either way the number was registered on another device while this one was away.
    boolean replaced = store.isPrimary() && (gone || refused.is(401, "BAD_SIGNATURE"));
    if (!replaced && !gone) {
      return Future.failedFuture(error);
    }
    invalidate();
    // The reason the relay gave when it closed the connection says more: it stays.
    if (store.status() != LocalStore.Status.LOGGED_OUT) {
      store.markLoggedOut(replaced ? Reason.REREGISTERED : LogoutReason.GONE);
    }
    return writer.save().transform(saved -> Future.failedFuture(
        new NotRegisteredException("this home is logged out: " + LogoutReason.describe(store.statusReason()))));
  }
}
