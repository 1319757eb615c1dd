package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import org.quintet.protocol.Delivery;

/**
 * The relay's HTTP API (docs/relay-api.md) as JSON in, JSON out. An answer with an error status
 * fails with {@link RelayException}; no answer at all fails with {@link RelayUnreachableException},
 * or {@link RelayCertificateException} when the relay's certificate is not one this device trusts.
 */
final class RelayApi {
  private static final int CONNECT_TIMEOUT_MS = 10_000;
  private static final long REQUEST_TIMEOUT_MS = 30_000;
  /** A wait the relay asks for (429 with retryAfterSeconds) that a client sits out by itself; longer ones are the user's to decide. */
  static final Duration LONGEST_WAIT = Duration.ofSeconds(30);
  private final Vertx vertx;
  private final WebClient web;
  private final String baseUrl;
  private final RelayTrust trust;

  RelayApi(Vertx vertx, String baseUrl, RelayTrust trust) {
    this.vertx = vertx;
    this.trust = trust;
    WebClientOptions options = new WebClientOptions()
        .setConnectTimeout(CONNECT_TIMEOUT_MS)
        .setUserAgent("quintet-client");
    // A pin names the relay's key, whatever name the relay is reached by.
    options.setTrustOptions(trust.trustOptions()).setVerifyHost(!trust.pinned());
    this.web = WebClient.create(vertx, options);
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  String baseUrl() {
    return baseUrl;
  }

  /** Options for a WebSocket to this relay, trusting its certificate as the HTTP calls do. */
  WebSocketClientOptions webSocketOptions() {
    // The relay pings every open socket (Delivery.Keepalive): one that brings nothing for three
    // pings is lost, and the connection is opened again.
    return new WebSocketClientOptions()
        .setConnectTimeout(CONNECT_TIMEOUT_MS)
        .setReadIdleTimeout((int) Delivery.Keepalive.IDLE_TIMEOUT.toSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setTrustOptions(trust.trustOptions())
        .setVerifyHost(!trust.pinned());
  }

  /**
   * What a connection that failed before any answer means: a certificate this device does not
   * trust (said with what to compare and pin), or a relay out of reach.
   */
  RuntimeException unreachable(Throwable cause) {
    X509Certificate refused = trust.refused();
    if (refused != null && causedBy(cause, SSLException.class)) {
      return new RelayCertificateException(baseUrl, refused, trust.pinned(), cause);
    }
    return new RelayUnreachableException(baseUrl, cause);
  }

  private static boolean causedBy(Throwable error, Class<? extends Throwable> kind) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (kind.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  /** Completes after {@code seconds}, on this client's Vert.x: a wait the relay asked for. */
  Future<Void> after(long seconds) {
    return vertx.timer(seconds, TimeUnit.SECONDS).mapEmpty();
  }

  /** A number as a path segment: {@code +} would mean a space to some servers. */
  static String segment(String number) {
    return number.replace("+", "%2B");
  }

  /** {@code token} may be null for the calls that need none; {@code body} null sends no body. */
  Future<JsonObject> call(HttpMethod method, String path, String token, JsonObject body) {
    HttpRequest<Buffer> request = web.requestAbs(method, baseUrl + path).timeout(REQUEST_TIMEOUT_MS);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendJsonObject(body);
    return sent.transform(result -> {
      if (result.failed()) {
        return Future.failedFuture(unreachable(result.cause()));
      }
      HttpResponse<Buffer> response = result.result();
      JsonObject answer = json(response);
      if (response.statusCode() / 100 == 2) {
        return Future.succeededFuture(answer);
      }
      String code = answer.getString("error", "HTTP_" + response.statusCode());
      String message = answer.getString("message", response.statusMessage());
      return Future.failedFuture(RelayException.of(response.statusCode(), code, message, answer));
    });
  }

  private static JsonObject json(HttpResponse<Buffer> response) {
    Buffer body = response.body();
    if (body == null || body.length() == 0) {
      return new JsonObject();
    }
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject();
    }
  }

  void close() {
    web.close();
  }
}
