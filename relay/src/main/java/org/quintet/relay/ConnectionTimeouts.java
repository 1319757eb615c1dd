package org.quintet.relay;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.quintet.protocol.Delivery;

/**
 * Keeps sockets nobody uses from piling up: a connection must start its first request soon after
 * it opens; a connection that brings nothing for {@link Delivery.Keepalive#IDLE_TIMEOUT} is
 * closed; and every WebSocket is pinged, so that a device that is merely quiet answers (its pong
 * is something it brought) while one that is gone is closed.
 */
final class ConnectionTimeouts {
  private final Vertx vertx;
  private final Duration requestStart;
  private final Duration pingInterval;
  /**
   * Connections that have not started a request yet, by their peer's address and port (what a
   * WebSocket handshake knows of its connection), with the timer that closes them.
   */
  private final Map<String, Long> awaitingRequest = new ConcurrentHashMap<>();

  /** As the relay runs: {@link RelayLimits#REQUEST_START_TIMEOUT}, {@link Delivery.Keepalive#PING_INTERVAL}. */
  ConnectionTimeouts(Vertx vertx) {
    this(vertx, RelayLimits.REQUEST_START_TIMEOUT, Delivery.Keepalive.PING_INTERVAL);
  }

  ConnectionTimeouts(Vertx vertx, Duration requestStart, Duration pingInterval) {
    this.vertx = vertx;
    this.requestStart = requestStart;
    this.pingInterval = pingInterval;
  }

  /**
   * Closes a connection that brought nothing, a request or a pong, for the idle timeout. Without
   * HTTP/2 over cleartext, which devices do not use: a server that may speak it waits for a
   * connection's first bytes before it sets the connection up, so one that sends none would have
   * no timeout at all.
   */
  static HttpServerOptions apply(HttpServerOptions options) {
    return options.setReadIdleTimeout((int) Delivery.Keepalive.IDLE_TIMEOUT.toSeconds())
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        .setHttp2ClearTextEnabled(false);
  }

  void opened(HttpConnection connection) {
    String peer = String.valueOf(connection.remoteAddress());
    long timer = vertx.setTimer(requestStart.toMillis(), id -> {
      if (awaitingRequest.remove(peer) != null) {
        connection.close();
      }
    });
    awaitingRequest.put(peer, timer);
  }

  void requestStarted(SocketAddress peer) {
    Long timer = awaitingRequest.remove(String.valueOf(peer));
    if (timer != null) {
      vertx.cancelTimer(timer);
    }
  }

  /** Pings {@code socket} every ping interval while it is open. */
  void keepAlive(ServerWebSocket socket) {
    long interval = pingInterval.toMillis();
    vertx.setPeriodic(interval, interval, id -> {
      if (socket.isClosed()) {
        vertx.cancelTimer(id);
      } else {
        socket.writePing(Buffer.buffer());
      }
    });
  }
}
