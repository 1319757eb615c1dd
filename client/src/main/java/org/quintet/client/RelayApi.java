package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.streams.WriteStream;
import java.util.Map;
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
  private final HttpClient http;
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
    this.http = vertx.createHttpClient(options);
    this.web = WebClient.wrap(http, options);
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

  /**
   * A request with these headers and body (null: none), answered by its response, whatever its
   * status; fails only when no answer came. For the attachments' tus upload.
   */
  Future<HttpResponse<Buffer>> exchange(HttpMethod method, String path, String token, Map<String, String> headers,
      Buffer body, long timeoutMs) {
    HttpRequest<Buffer> request = web.requestAbs(method, baseUrl + path).timeout(timeoutMs).bearerTokenAuthentication(token);
    headers.forEach(request::putHeader);
    Future<HttpResponse<Buffer>> sent = body == null ? request.send() : request.sendBuffer(body);
    return sent.recover(error -> Future.failedFuture(unreachable(error)));
  }

  /**
   * Streams a download into {@code out}, from byte {@code from} on, and ends {@code out} with the
   * body; answers the status (200, or 206 for a range). A refusal fails as {@link RelayException},
   * and nothing of its body goes to {@code out}.
   */
  Future<Integer> download(String path, String token, long from, WriteStream<Buffer> out, long idleTimeoutMs) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(baseUrl + path)
        .setIdleTimeout(idleTimeoutMs).putHeader("Authorization", "Bearer " + token);
    if (from > 0) {
      options.putHeader("Range", "bytes=" + from + "-");
    }
    return http.request(options).compose(HttpClientRequest::send).recover(error -> Future.failedFuture(unreachable(error)))
        .compose(response -> {
          if (response.statusCode() / 100 != 2) {
            return response.body().compose(body -> {
              JsonObject answer = body.length() == 0 ? new JsonObject() : parse(body);
              return Future.failedFuture(RelayException.of(response.statusCode(),
                  answer.getString("error", "HTTP_" + response.statusCode()),
                  answer.getString("message", response.statusMessage()), answer));
            });
          }
          return response.pipeTo(out).map(response.statusCode());
        });
  }

  private static JsonObject parse(Buffer body) {
    try {
      return new JsonObject(body);
    } catch (DecodeException | ClassCastException e) {
      return new JsonObject();
    }
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
    http.close();
  }
}
