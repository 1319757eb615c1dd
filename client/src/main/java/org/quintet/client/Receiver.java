package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.Delivery.Close;
import org.quintet.protocol.Delivery.Event;
import org.quintet.protocol.Delivery.Reason;
import org.quintet.protocol.Delivery;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.Envelope;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;

/**
 * The delivery connection (docs/relay-api.md, "Delivery"): takes envelopes one at a time, in
 * order, and for each saves what it changed (session, message id, history) before it
 * acknowledges it, so that an acknowledged message is never lost and a message that comes again
 * is recognised by its id. Events and the closing of the connection are handled in the same
 * order as the envelopes around them.
 *
 * <p>A connection that is lost (the relay node stopped or died, the network dropped) is opened
 * again after {@link Delivery.Reconnect#delay} (0.5 s doubling to 30 s, with jitter), until
 * it opens or the receiving stops; behind a load balancer it reaches another node of a cluster.
 * It ends for good only when this device is logged out or another connection of it took over.
 */
final class Receiver {
  private final Vertx vertx;
  private final RelayApi api;
  private final RelayAuth auth;
  private final LocalStore store;
  private final StoreWriter writer;
  private final EnvelopeOpener opener;
  private final AccountDirectory directory;
  private final PreKeys preKeys;
  private final MessageListener listener;
  private final LinkEvents linkEvents;
  private final WebSocketClient client;
  private WebSocket socket;
  /** The end of the chain of work on received frames; each step starts when the one before ended. */
  private Future<Void> tail = Future.succeededFuture();
  private boolean stopping;
  /** Connections tried since the last one that opened. */
  private int reconnectAttempt;
  private long reconnectTimer = -1;

  Receiver(Vertx vertx, RelayApi api, RelayAuth auth, LocalStore store, StoreWriter writer, EnvelopeOpener opener,
      AccountDirectory directory, PreKeys preKeys, MessageListener listener, LinkEvents linkEvents) {
    this.vertx = vertx;
    this.api = api;
    this.auth = auth;
    this.store = store;
    this.writer = writer;
    this.opener = opener;
    this.directory = directory;
    this.preKeys = preKeys;
    this.listener = listener;
    this.linkEvents = linkEvents;
    // An envelope may be larger than Vert.x's default WebSocket message limit.
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(Delivery.MAX_FRAME)
        .setMaxMessageSize(Delivery.MAX_FRAME)
        .setConnectTimeout(10_000));
  }

  /** Connects; succeeds once the connection is open. Then tops up the prekeys if the relay runs low. */
  Future<Void> start() {
    return connect(true).onSuccess(connected -> preKeys.topUpIfLow(auth, writer).onFailure(listener::onError));
  }

  /** Finishes the work on what was received, then closes the connection. */
  Future<Void> stop() {
    stopping = true;
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
    }
    Future<Void> closed = tail.transform(done -> socket == null ? Future.<Void>succeededFuture() : socket.close());
    return closed.eventually(client::close).recover(e -> Future.succeededFuture());
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
      return Future.failedFuture(new RelayUnreachableException(api.baseUrl(), error));
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
    ws.binaryMessageHandler(frame -> then(() -> onFrame(frame)));
    ws.textMessageHandler(text -> then(() -> onEvent(text)));
    ws.closeHandler(v -> then(() -> onClose(ws)));
    ws.exceptionHandler(listener::onError);
  }

  /** Queues a step after the work already queued; a step that fails is reported and the chain goes on. */
  private void then(Supplier<Future<Void>> step) {
    if (stopping) {
      return;
    }
    tail = tail.compose(v -> Futures.of(step::get)).recover(error -> {
      listener.onError(error);
      return Future.succeededFuture();
    });
  }

  // --- envelopes --------------------------------------------------------------------------------

  private Future<Void> onFrame(Buffer frame) {
    Delivery.EnvelopeFrame parsed;
    try {
      parsed = Delivery.EnvelopeFrame.parse(frame.getBytes());
    } catch (ProtocolException e) {
      return Future.failedFuture(e);
    }
    long seq = parsed.seq();
    Envelope envelope;
    try {
      envelope = Envelope.parse(parsed.envelope());
    } catch (ProtocolException e) {
      listener.onUnreadable(new UnreadableMessage(null, null, 0, e.getMessage()));
      return acknowledge(seq);
    }
    if (envelope.kind() == Envelope.KIND_DELIVERY_RECEIPT) {
      return onReceipt(seq, envelope);
    }
    String id = Bytes.hex(envelope.messageId());
    if (store.hasSeen(id)) {
      return acknowledge(seq);
    }
    Future<Content> read = opener.open(envelope).compose(plaintext -> Futures.value(() -> Content.decode(plaintext)));
    return read.transform(opened -> {
      if (opened.succeeded()) {
        return onContent(seq, envelope, opened.result());
      }
      Throwable error = opened.cause();
      if (!isPermanent(error)) {
        // Not acknowledged: the relay sends it again on the next connection.
        return Future.failedFuture(error);
      }
      store.markSeen(id);
      return writer.save().compose(saved -> acknowledge(seq)).onSuccess(v -> {
        if (!(error instanceof ProtocolException refused && refused.error() == ProtocolError.DUPLICATE)) {
          listener.onUnreadable(new UnreadableMessage(id, envelope.source(), envelope.sourceDevice(),
              error.getMessage()));
        }
      });
    });
  }

  /**
   * A refusal that would be the same next time: the message can never be read. A sender whose
   * account key changed is not one: its messages stay on the relay until the user trusts the new
   * key ({@link QuintetClient#trust}) or they expire.
   */
  private static boolean isPermanent(Throwable error) {
    if (error instanceof ProtocolException refused) {
      return refused.error() != ProtocolError.ACCOUNT_MISMATCH;
    }
    return error instanceof RelayException refused && refused.status() == 404;
  }

  /** The one place that says what each content type does. */
  private Future<Void> onContent(long seq, Envelope envelope, Content content) {
    store.markSeen(Bytes.hex(envelope.messageId()));
    if (content instanceof Text text) {
      return onText(seq, envelope, text);
    }
    if (content instanceof HistoryPart part) {
      return onHistory(seq, envelope, part);
    }
    UnknownContent unknown = (UnknownContent) content;
    boolean outgoing = envelope.source().equals(store.number());
    UnsupportedMessage message = new UnsupportedMessage(Bytes.hex(envelope.messageId()), envelope.source(),
        envelope.sourceDevice(), envelope.serverTimestamp(), unknown.type(),
        conversation(envelope, unknown.peer(), outgoing), outgoing);
    return writer.save().compose(saved -> acknowledge(seq)).onSuccess(v -> listener.onUnsupported(message));
  }

  /**
   * Only the account's own devices say which conversation a message belongs to; anyone else's
   * message belongs to the conversation with them.
   */
  private static String conversation(Envelope envelope, String peer, boolean outgoing) {
    return outgoing && peer != null ? peer : envelope.source();
  }

  private Future<Void> onText(long seq, Envelope envelope, Text content) {
    String id = Bytes.hex(envelope.messageId());
    boolean outgoing = envelope.source().equals(store.number());
    String peer = conversation(envelope, content.peer(), outgoing);
    IncomingMessage message = new IncomingMessage(id, envelope.source(), envelope.sourceDevice(),
        content.timestamp(), envelope.serverTimestamp(), content.body(), peer, outgoing);
    store.addHistory(new HistoryEntry(id, peer, outgoing, envelope.source(), envelope.sourceDevice(),
        content.timestamp(), content.body()));
    return writer.save().compose(saved -> acknowledge(seq)).onSuccess(v -> listener.onMessage(message));
  }

  /**
   * A part of the history the primary sends after linking this device. Only the account's primary
   * speaks for the account's past: history from any other device is not taken.
   */
  private Future<Void> onHistory(long seq, Envelope envelope, HistoryPart part) {
    String id = Bytes.hex(envelope.messageId());
    if (!envelope.source().equals(store.number()) || envelope.sourceDevice() != DeviceCert.PRIMARY_DEVICE_ID) {
      return writer.save().compose(saved -> acknowledge(seq)).onSuccess(v -> listener.onUnreadable(
          new UnreadableMessage(id, envelope.source(), envelope.sourceDevice(),
              "a history that does not come from this account's primary")));
    }
    int added = store.mergeHistory(part.messages());
    HistoryProgress progress = new HistoryProgress(part.part(), part.parts(), part.messages().size(), added,
        store.historyPartReceived(part.part(), part.parts()));
    return writer.save().compose(saved -> acknowledge(seq)).onSuccess(v -> listener.onHistory(progress));
  }

  private Future<Void> onReceipt(long seq, Envelope envelope) {
    String id = Bytes.hex(envelope.messageId());
    String key = "receipt/" + id + "/" + envelope.source() + "/" + envelope.sourceDevice();
    if (store.hasSeen(key)) {
      return acknowledge(seq);
    }
    store.markSeen(key);
    Receipt receipt = new Receipt(id, envelope.source(), envelope.sourceDevice(), envelope.serverTimestamp());
    return writer.save().compose(saved -> acknowledge(seq)).onSuccess(v -> listener.onReceipt(receipt));
  }

  /** An acknowledgement that cannot be sent is not an error: the envelope comes again and is recognised. */
  private Future<Void> acknowledge(long seq) {
    WebSocket ws = socket;
    if (ws == null || ws.isClosed()) {
      return Future.succeededFuture();
    }
    return ws.writeTextMessage(new JsonObject().put("type", Event.ACK).put("seq", seq).encode())
        .recover(e -> Future.succeededFuture());
  }

  // --- events -----------------------------------------------------------------------------------

  private Future<Void> onEvent(String text) {
    JsonObject event;
    try {
      event = new JsonObject(text);
    } catch (DecodeException e) {
      return Future.failedFuture(new ProtocolException(ProtocolError.MALFORMED, "an event that is not JSON"));
    }
    switch (event.getString("type", "")) {
      case Event.QUEUE_EMPTY -> listener.onQueueEmpty();
      case Event.PREKEYS_LOW -> preKeys.topUp(auth, writer).onFailure(listener::onError);
      case Event.DEVICES_CHANGED -> {
        return devicesChanged();
      }
      case Event.DEVICE_LINKED -> {
        linkEvents.publish(event);
        listener.onDeviceLinked(event.getLong("deviceId", 0L));
      }
      case Event.PAIRING_REQUEST, Event.PAIRING_WRONG_CODE, Event.PAIRING_CONFIRM, Event.PAIRING_ENDED ->
          linkEvents.publish(event);
      case Event.ERROR -> listener.onError(new RelayException(0, event.getString("error", "ERROR"),
          event.getString("message", ""), event));
      default -> {
        // Events of later versions of the relay: nothing this client needs to do.
      }
    }
    return Future.succeededFuture();
  }

  /** Fetches the account's list again and says which devices joined or left since the last one accepted. */
  private Future<Void> devicesChanged() {
    String own = store.number();
    return directory.known(own).compose(before -> directory.refresh(own).onSuccess(after -> {
      Set<Long> added = new TreeSet<>(after.deviceIds());
      added.removeAll(before.deviceIds());
      Set<Long> removed = new TreeSet<>(before.deviceIds());
      removed.removeAll(after.deviceIds());
      listener.onDevicesChanged(new DeviceChanges(added, removed));
    })).mapEmpty();
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
    return switch (code) {
      case Close.DEVICE_REMOVED, Close.NUMBER_REREGISTERED -> loggedOut(code, Reason.logout(code, reason));
      case Close.REPLACED -> closed(new ConnectionClosed(code, reason, false));
      default -> lost(new ConnectionClosed(code, reason, false));
    };
  }

  /** Linking that waits for the relay's events hears of the loss; receiving goes on after a pause. */
  private Future<Void> lost(ConnectionClosed closed) {
    linkEvents.connectionLost(closed);
    reconnectLater(closed);
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
      connect(true).onComplete(opened -> then(() -> {
        if (opened.succeeded()) {
          reconnectAttempt = 0;
          listener.onReconnected();
        } else if (opened.cause() instanceof NotRegisteredException) {
          // The relay no longer knows this device (removed or replaced while it was away).
          return closed(new ConnectionClosed(-1, store.statusReason(), true));
        } else {
          reconnectLater(new ConnectionClosed(-1, opened.cause().getMessage(), false));
        }
        return Future.succeededFuture();
      }));
    });
  }

  private Future<Void> loggedOut(int code, String reason) {
    store.markLoggedOut(reason);
    return writer.save().onComplete(saved -> closed(new ConnectionClosed(code, reason, true)));
  }

  private Future<Void> closed(ConnectionClosed closed) {
    listener.onClosed(closed);
    linkEvents.connectionLost(closed);
    return Future.succeededFuture();
  }
}
