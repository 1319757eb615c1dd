package org.quintet.relay;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.quintet.relay.api.ApiError;
import org.quintet.relay.api.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client's broken request gets: a JSON refusal like every other ({@code {"error",
 * "message"}}), and in the log one line at DEBUG at most, never a stack trace. A client that sends
 * garbage hundreds of times a second must not fill the operator's log; the operator's faults (a
 * storage that fails) stay errors.
 */
final class ClientFaults {
  private static final Logger LOG = LoggerFactory.getLogger(ClientFaults.class);

  private ClientFaults() {}

  /**
   * The server's handler of requests Netty could not decode (a malformed request line or header,
   * a request line or headers over the limits): 414, 431 or 400, then the connection closes, as
   * nothing after such a request can be trusted to start where the next request starts.
   */
  static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    ApiException refusal;
    if (cause instanceof TooLongHttpLineException) {
      refusal = new ApiException(ApiError.URI_TOO_LONG, "the request line is over "
          + RelayLimits.MAX_REQUEST_LINE_BYTES + " bytes");
    } else if (cause instanceof TooLongHttpHeaderException) {
      refusal = new ApiException(ApiError.HEADERS_TOO_LARGE, "the request's headers are over "
          + RelayLimits.MAX_HEADER_BYTES + " bytes");
    } else {
      refusal = new ApiException(ApiError.INVALID_REQUEST, "the request is not well-formed HTTP");
    }
    LOG.debug("refused a malformed request: {}", describe(cause));
    HttpConnection connection = request.connection();
    request.response().setStatusCode(refusal.status()).putHeader("content-type", "application/json")
        .putHeader("connection", "close").end(refusal.body().encode()).onComplete(v -> connection.close());
  }

  /**
   * A failure of a connection itself (reset by the peer, a TLS handshake that failed, bytes that
   * are not HTTP): the client's side, or the network's.
   */
  static void connectionFailed(Throwable cause) {
    LOG.debug("a connection failed: {}", describe(cause));
  }

  /** Set on a request while its body is being read, and only then. */
  private static final String READING_BODY = "quintet.readingBody";

  /** Reads the body with {@code bodies}, marking the request as being read until it is. */
  static void readBody(RoutingContext ctx, Handler<RoutingContext> bodies) {
    ctx.put(READING_BODY, true);
    bodies.handle(ctx);
  }

  /** The body was read: from here on, a failure is not the request's own. */
  static void bodyRead(RoutingContext ctx) {
    ctx.remove(READING_BODY);
    ctx.next();
  }

  /**
   * Whether a route's failure is the request's own: its body broke off or could not be decoded
   * (a malformed chunk, a connection closed half way) while it was being read. Every handler of
   * the API runs after that, so such a failure is never the relay's.
   */
  static boolean isBrokenRequest(RoutingContext ctx) {
    return ctx.failure() != null && !(ctx.failure() instanceof ApiException) && Boolean.TRUE.equals(ctx.get(READING_BODY));
  }

  /** A broken request: answered (if the connection still takes an answer) and noted at DEBUG. */
  static ApiException brokenRequest(RoutingContext ctx) {
    LOG.debug("refused a request whose body broke off: {}", describe(ctx.failure()));
    return new ApiException(ApiError.INVALID_REQUEST, "the request body is not well-formed HTTP");
  }

  /** The exception's type and message, on one line (a message may carry a newline). */
  private static String describe(Throwable cause) {
    if (cause == null) {
      return "no cause";
    }
    String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
    String line = cause.getClass().getSimpleName() + message;
    line = line.replaceAll("[\\r\\n\\t]+", " ");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
