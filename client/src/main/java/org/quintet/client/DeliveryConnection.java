package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.quintet.protocol.Delivery;
import org.quintet.protocol.Delivery.Close;
import org.quintet.protocol.Delivery.Event;
import org.quintet.protocol.Delivery.Reason;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.ProtocolException;

/**
 * The delivery WebSocket (docs/relay-api.md, "Delivery"): envelopes come as binary frames
 * ({@link Delivery.EnvelopeFrame}) and are handled one at a time, in order; each queued one is
 * acknowledged only after the {@link Inbox} saved what it changed, an online one never. Events and the closing of the
 * connection are handled in the same order as the envelopes around them.
 *
 * <p>A connection that is lost (the relay node stopped or died, the network dropped) is opened
 * again after {@link Delivery.Reconnect#delay} (0.5 s doubling to 30 s, with jitter), until
 * it opens or the receiving stops; behind a load balancer it reaches another node of a cluster.
 * It ends for good only when this device is logged out or another connection of it took over.
 */
final class DeliveryConnection {
  /** Longer than a request to the relay may take ({@link RelayApi}), which a frame's work may wait on. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);
  /** Closing the socket client closes its connections at once; past this, one is stuck and is left. */
  private static final Duration CLIENT_CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private final Vertx vertx;
  private final RelayApi api;
  private final RelayAuth auth;
  private final Inbox inbox;
  private final DeliveryEvents events;
  private final MessageListener listener;
  private final WebSocketClient client;
  private WebSocket socket;
  /** The end of the chain of work on received frames; each step starts when the one before ended. */
  private Future<Void> tail = Future.succeededFuture();
  /** The last acknowledgement written; stopping waits for it (within its bound), the chain does not. */
  private Future<Void> lastAck = Future.succeededFuture();
  /** What the chain works on now, said if stopping has to give up waiting for it. */
  private String working = "nothing";
  private boolean stopping;
  /** Connections tried since the last one that opened. */
  private int reconnectAttempt;
  private long reconnectTimer = -1;

  DeliveryConnection(Vertx vertx, RelayApi api, RelayAuth auth, Inbox inbox, DeliveryEvents events,
      MessageListener listener) {
    this.vertx = vertx;
    this.api = api;
    this.auth = auth;
    this.inbox = inbox;
    this.events = events;
    this.listener = listener;
    // An envelope may be larger than Vert.x's default WebSocket message limit.
    this.client = vertx.createWebSocketClient(api.webSocketOptions()
        .setMaxFrameSize(Delivery.MAX_FRAME)
        .setMaxMessageSize(Delivery.MAX_FRAME));
  }

  /** Connects; succeeds once the connection is open. */
  Future<Void> start() {
    return connect(true);
  }

  /** Finishes the work on what was received, then closes the connection. */
  Future<Void> stop() {
    stopping = true;
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
    }
    // The acknowledgements written go out before the close, so that what was taken in leaves the queue.
    Future<Void> closed = tail.transform(done -> lastAck).transform(acked -> socket == null || socket.isClosed()
        ? Future.<Void>succeededFuture() : socket.close());
    // Stopping must end even when an answer it waits for never comes (a node gone mid-way):
    // nothing is lost by it, since what was not saved was not acknowledged and comes again.
    return closed.timeout(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .onFailure(e -> listener.onError(new IllegalStateException("stopping gave up after "
            + STOP_TIMEOUT.toSeconds() + " s waiting for " + working + " (" + e.getMessage() + ")")))
        .eventually(() -> client.close().timeout(CLIENT_CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
        .recover(e -> Future.succeededFuture());
  }

  private Future<Void> connect(boolean retryWithNewToken) {
    return auth.token().compose(token -> {
      WebSocketConnectOptions options = new WebSocketConnectOptions()
          .setAbsoluteURI(webSocketUrl(token));
      return client.connect(options);
    }).transform(result -> {
      if (result.succeeded()) {
        attach(result.result());
        return Future.<Void>succeededFuture();
      }
      Throwable error = result.cause();
      if (error instanceof UpgradeRejectedException rejected) {
        if (rejected.getStatus() == 401 && retryWithNewToken) {
          auth.invalidate();
          return connect(false);
        }
        return Future.failedFuture(new RelayException(rejected.getStatus(), "CONNECTION_REFUSED",
            "the relay refused the delivery connection", new JsonObject()));
      }
      if (error instanceof RelayException || error instanceof NotRegisteredException) {
        return Future.failedFuture(error);
      }
      return Future.failedFuture(api.unreachable(error));
    });
  }

  private String webSocketUrl(String token) {
    String base = api.baseUrl().replaceFirst("^http", "ws");
    return base + Delivery.DELIVERY_PATH + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  private void attach(WebSocket ws) {
    if (stopping) {
      // Receiving stopped while this connection was being opened again.
      ws.close();
      return;
    }
    socket = ws;
    ws.binaryMessageHandler(frame -> then("a received envelope", () -> onFrame(frame)));
    ws.textMessageHandler(text -> then("an event", () -> events.onEvent(text)));
    ws.closeHandler(v -> then("the connection's close", () -> onClose(ws)));
    ws.exceptionHandler(listener::onError);
  }

  /** Queues a step after the work already queued; a step that fails is reported and the chain goes on. */
  private void then(String what, Supplier<Future<Void>> step) {
    if (stopping) {
      return;
    }
    tail = tail.compose(v -> {
      working = what;
      return Futures.of(step::get);
    }).recover(error -> {
      listener.onError(error);
      return Future.succeededFuture();
    });
  }

  /**
   * One envelope: the inbox takes it in and saves what it changed, then it is acknowledged, then
   * the listener hears of it. An envelope the inbox leaves on the relay is not acknowledged: it
   * comes again on the next connection. An online envelope is taken in the same way, but is in no
   * queue: nothing acknowledges it, and one the inbox could not take is gone.
   */
  private Future<Void> onFrame(Buffer frame) {
    Delivery.EnvelopeFrame parsed;
    try {
      parsed = Delivery.EnvelopeFrame.parse(frame.getBytes());
    } catch (ProtocolException e) {
      return Future.failedFuture(e);
    }
    String name = parsed.isOnline() ? "an online envelope" : "envelope " + parsed.seq();
    Envelope envelope;
    try {
      envelope = Envelope.parse(parsed.envelope());
    } catch (ProtocolException e) {
      // Can never be read: acknowledged, so it does not block the queue.
      listener.onUnreadable(new UnreadableMessage(null, null, 0, e.getMessage()));
      return acknowledge(parsed);
    }
    working = name + ": opening and saving it";
    return inbox.receive(envelope).compose(report -> {
      working = name + ": acknowledging it";
      return acknowledge(parsed).onSuccess(acknowledged -> report.run());
    });
  }

  /**
   * Sends the acknowledgement without the chain waiting for the write: one that is lost is not an
   * error (the envelope comes again and is recognised), and a write on a connection that is going
   * away may never be answered, which would hold every step after it, the close included.
   */
  private Future<Void> acknowledge(Delivery.EnvelopeFrame frame) {
    WebSocket ws = socket;
    if (!frame.isOnline() && ws != null && !ws.isClosed()) {
      lastAck = ws.writeTextMessage(new JsonObject().put("type", Event.ACK).put("seq", frame.seq()).encode())
          .recover(e -> Future.succeededFuture());
    }
    return Future.succeededFuture();
  }

  /** The relay's close reason says why a device was logged out (docs/relay-api.md, "Delivery"). */
  private Future<Void> onClose(WebSocket ws) {
    if (socket == ws) {
      // stop() has no connection to close now; a reconnection sets the next one.
      socket = null;
    }
    Short status = ws.closeStatusCode();
    int code = status == null ? -1 : status;
    String reason = ws.closeReason() == null || ws.closeReason().isEmpty() ? null : ws.closeReason();
    switch (code) {
      case Close.DEVICE_REMOVED, Close.NUMBER_REREGISTERED -> {
        return events.onLoggedOut(code, Reason.logout(code, reason));
      }
      case Close.REPLACED -> events.onEnded(new ConnectionClosed(code, reason, false));
      default -> {
        ConnectionClosed lost = new ConnectionClosed(code, reason, false);
        events.onLost(lost);
        reconnectLater(lost);
      }
    }
    return Future.succeededFuture();
  }

  private void reconnectLater(ConnectionClosed why) {
    if (stopping) {
      return;
    }
    long delay = Delivery.Reconnect.delay(reconnectAttempt++, ThreadLocalRandom.current().nextDouble()).toMillis();
    listener.onReconnecting(why, delay);
    reconnectTimer = vertx.setTimer(delay, id -> {
      reconnectTimer = -1;
      if (stopping) {
        return;
      }
      connect(true).onComplete(opened -> then("a new connection", () -> {
        if (opened.succeeded()) {
          reconnectAttempt = 0;
          listener.onReconnected();
        } else if (opened.cause() instanceof NotRegisteredException) {
          events.onForgotten();
        } else {
          reconnectLater(new ConnectionClosed(-1, opened.cause().getMessage(), false));
        }
        return Future.succeededFuture();
      }));
    });
  }
}
