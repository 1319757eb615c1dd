package org.quintet.relay.linking;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.quintet.protocol.Delivery.Close;
import org.quintet.protocol.Delivery.Event;
import org.quintet.protocol.Delivery.ProvisioningFrame;
import org.quintet.protocol.Delivery.Reason;
import org.quintet.protocol.Envelope;
import org.quintet.relay.RelayLimits;
import org.quintet.relay.api.ApiError;
import org.quintet.relay.api.ApiException;
import org.quintet.relay.delivery.Connections;
import org.quintet.relay.limits.Limiter;
import org.quintet.relay.limits.RateLimiters;
import org.quintet.relay.metrics.RelayMetrics;
import org.quintet.relay.routing.Channels;
import org.quintet.relay.routing.NodeBus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's part in linking (docs/linking.md): it carries the companion's and the primary's
 * linking messages between them and never reads them. QR: a one-time address the companion shows,
 * to which the primary sends a sealed provisioning message. Code: a pairing request the primary is
 * told about, whose reply and confirmation the relay forwards, with limits on time, wrong codes
 * and requests per number and per client address.
 *
 * <p>The companion and the primary may be on different nodes. The companion's socket is held by
 * one node, subscribed to the socket's own channel; addresses and pairing requests are in
 * {@link LinkSessions}, which every node reads; what the primary sends the companion is published
 * on the socket's channel, and what the companion sends the primary goes out as an event for the
 * primary's device. Sockets and their timers run on the node's event loop.
 */
public final class Linking {
  private static final Logger LOG = LoggerFactory.getLogger(Linking.class);
  static final int CODE_HELLO_LENGTH = 130;

  private final Vertx vertx;
  private final Connections connections;
  private final NodeBus bus;
  private final LinkSessions sessions;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final RelayMetrics metrics;
  private final RateLimiters limiters;

  public Linking(Vertx vertx, Connections connections, NodeBus bus, LinkSessions sessions,
      Clock clock, RelayMetrics metrics, RateLimiters limiters) {
    this.limiters = limiters;
    this.vertx = vertx;
    this.connections = connections;
    this.bus = bus;
    this.sessions = sessions;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * A companion opened the provisioning socket from the client address {@code clientKey};
   * {@code onClosed} runs once it has closed.
   */
  public void open(ServerWebSocket socket, String clientKey, Runnable onClosed) {
    ProvisioningSocket companion = new ProvisioningSocket(socket, newId(16), clientKey);
    long lifetime = vertx.setTimer(RelayLimits.PROVISIONING_SOCKET_LIFETIME.toMillis(),
        id -> companion.close(Close.LINK_TIMED_OUT, Reason.LINK_TIMED_OUT));
    // What the primary sends arrives on the socket's channel, already a frame for the companion.
    Future<NodeBus.Subscription> listening = bus.subscribe(Channels.provisioningSocket(companion.id),
        companion::sendRaw);
    socket.closeHandler(v -> {
      companion.closed = true;
      vertx.cancelTimer(lifetime);
      listening.onSuccess(NodeBus.Subscription::unsubscribe);
      if (companion.address != null) {
        sessions.unbindAddress(companion.address);
      }
      if (companion.pairing != null) {
        end(companion.pairing, "CANCELLED");
      }
      onClosed.run();
    });
    socket.textMessageHandler(text -> onFrame(companion, text));
    socket.binaryMessageHandler(data -> companion.error("INVALID_FRAME", "frames are JSON text"));
    socket.shutdownHandler(v -> companion.close(Close.GOING_AWAY, Reason.LINK_GOING_AWAY));
    listening.onSuccess(v -> rotate(companion))
        .onFailure(e -> companion.close(Close.UNAVAILABLE, Reason.LINK_UNAVAILABLE));
  }

  private void rotate(ProvisioningSocket companion) {
    if (companion.closed) {
      return;
    }
    String previous = companion.address;
    String address = newId(16);
    companion.address = address;
    if (previous != null) {
      sessions.unbindAddress(previous);
    }
    sessions.bindAddress(address, companion.id, RelayLimits.LINK_ADDRESS_LIFETIME.toMillis())
        .onSuccess(v -> {
          if (companion.closed) {
            // Closed while the address was being bound: its close could not unbind it.
            sessions.unbindAddress(address);
          } else if (address.equals(companion.address)) {
            companion.send(new JsonObject().put("type", ProvisioningFrame.ADDRESS).put("address", address)
                .put("expiresInSeconds", RelayLimits.LINK_ADDRESS_LIFETIME.toSeconds()));
          }
        })
        .onFailure(e -> companion.error("UNAVAILABLE", "no address could be made; try again"));
  }

  private void onFrame(ProvisioningSocket companion, String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException e) {
      companion.error("INVALID_FRAME", "a frame is a JSON object");
      return;
    }
    Object type = frame.getValue("type");
    if (ProvisioningFrame.ROTATE.equals(type)) {
      rotate(companion);
    } else if (ProvisioningFrame.PAIR.equals(type)) {
      pair(companion, frame);
    } else if (ProvisioningFrame.WRONG_CODE.equals(type) && companion.pairing != null) {
      wrongCode(companion.pairing);
    } else if (ProvisioningFrame.CONFIRM.equals(type) && companion.pairing != null && frame.getValue("confirm") instanceof String c) {
      confirm(companion.pairing, c);
    } else {
      companion.error("INVALID_FRAME", "unexpected frame");
    }
  }

  private void pair(ProvisioningSocket companion, JsonObject frame) {
    if (companion.pairing != null || companion.pairingPending) {
      companion.error("ALREADY_PAIRING", "this socket already has a pairing request");
      return;
    }
    if (!(frame.getValue("number") instanceof String number) || !Envelope.isNumber(number)) {
      companion.error("INVALID_NUMBER", "a number is + and 6 to 15 digits (E.164)");
      return;
    }
    if (!(frame.getValue("hello") instanceof String hello) || !isCodeHello(hello)) {
      companion.error("INVALID_REQUEST", "hello must be a base64 CodeHello");
      return;
    }
    long now = clock.millis();
    Pairing pairing = new Pairing(new PairingRequest(newId(12), number, hello, now + RelayLimits.PAIRING_LIFETIME.toMillis(),
        companion.id), companion);
    companion.pairingPending = true;
    // The client's address first: a client refused there uses up nothing of the number's requests.
    // Whether the number has an account is not looked at: the socket has no token, and a request
    // for a number without one goes the same way (the same limits, a pairing id, and no primary to
    // answer it, so it expires), telling nobody which numbers are registered.
    limiters.check(Limiter.PAIRINGS_PER_IP.of(companion.clientKey), Limiter.PAIRINGS_PER_NUMBER.of(number))
        .compose(v -> sessions.openPairing(pairing.request))
        .onComplete(opened -> {
          companion.pairingPending = false;
          if (opened.failed() && opened.cause() instanceof ApiException refusal
              && refusal.error() == ApiError.RATE_LIMITED) {
            metrics.linkRefused(RelayMetrics.LinkRefusal.CODE_RATE_LIMITED);
            companion.refuse(refusal);
          } else if (opened.failed()) {
            companion.error("UNAVAILABLE", "the request could not be recorded; try again");
          } else if (companion.closed) {
            sessions.endPairing(number, pairing.id());
          } else {
            started(pairing);
          }
        });
  }

  private void started(Pairing pairing) {
    pairing.timer = vertx.setTimer(RelayLimits.PAIRING_LIFETIME.toMillis(), id -> end(pairing, "EXPIRED"));
    pairing.companion.pairing = pairing;
    pairing.companion.send(new JsonObject().put("type", ProvisioningFrame.PAIRING).put("pairingId", pairing.id())
        .put("expiresInSeconds", RelayLimits.PAIRING_LIFETIME.toSeconds()));
    connections.notifyDevice(pairing.number(), 1, request(pairing.request));
    metrics.linkStarted(RelayMetrics.LinkMethod.CODE);
    LOG.info("pairing request {} for {}", pairing.id(), pairing.number());
  }

  private JsonObject request(PairingRequest request) {
    return new JsonObject().put("type", Event.PAIRING_REQUEST).put("pairingId", request.id()).put("hello", request.hello())
        .put("expiresInSeconds", Math.max(0, (request.expiresAt() - clock.millis()) / 1000));
  }

  private void wrongCode(Pairing pairing) {
    metrics.linkRefused(RelayMetrics.LinkRefusal.CODE_WRONG_CODE);
    pairing.wrongCodes++;
    int left = RelayLimits.MAX_PAIRING_WRONG_CODES - pairing.wrongCodes;
    connections.notifyDevice(pairing.number(), 1, new JsonObject().put("type", Event.PAIRING_WRONG_CODE)
        .put("pairingId", pairing.id()).put("attemptsLeft", Math.max(0, left)));
    if (left <= 0) {
      end(pairing, "TOO_MANY_WRONG_CODES");
    }
  }

  /** The request is no longer pending for any node by the time the primary hears the confirmation. */
  private void confirm(Pairing pairing, String confirm) {
    forget(pairing).onComplete(v -> connections.notifyDevice(pairing.number(), 1,
        new JsonObject().put("type", Event.PAIRING_CONFIRM).put("pairingId", pairing.id()).put("confirm", confirm)));
  }

  private void end(Pairing pairing, String reason) {
    if (pairing.companion.pairing != pairing) {
      return;
    }
    metrics.linkRefused(switch (reason) {
      case "EXPIRED" -> RelayMetrics.LinkRefusal.CODE_EXPIRED;
      case "TOO_MANY_WRONG_CODES" -> RelayMetrics.LinkRefusal.CODE_TOO_MANY_WRONG_CODES;
      default -> RelayMetrics.LinkRefusal.CODE_CANCELLED;
    });
    forget(pairing).onComplete(v -> {
      pairing.companion.send(new JsonObject().put("type", ProvisioningFrame.PAIRING_ENDED).put("reason", reason));
      connections.notifyDevice(pairing.number(), 1, new JsonObject().put("type", Event.PAIRING_ENDED)
          .put("pairingId", pairing.id()).put("reason", reason));
    });
  }

  private Future<Boolean> forget(Pairing pairing) {
    vertx.cancelTimer(pairing.timer);
    pairing.companion.pairing = null;
    return sessions.endPairing(pairing.number(), pairing.id());
  }

  // --- the primary's side, called by LinkingController on whichever node the primary is -----------

  /** Hands a sealed provisioning message to the companion at this address; false if none waits. */
  Future<Boolean> provision(String address, String message) {
    return sessions.socketAt(address).compose(socket -> socket.isEmpty() ? Future.succeededFuture(false)
        : deliver(socket.get(), new JsonObject().put("type", ProvisioningFrame.PROVISION).put("message", message)))
        .onSuccess(delivered -> {
          if (delivered) {
            metrics.linkStarted(RelayMetrics.LinkMethod.QR);
          } else {
            metrics.linkRefused(RelayMetrics.LinkRefusal.QR_UNKNOWN_ADDRESS);
          }
        });
  }

  Future<JsonArray> pendingPairings(String number) {
    return sessions.pairings(number, clock.millis()).map(requests -> {
      JsonArray out = new JsonArray();
      requests.forEach(request -> out.add(request(request)));
      return out;
    });
  }

  /** Forwards the primary's reply; false when the request is unknown, ended, or of another number. */
  Future<Boolean> reply(String number, String pairingId, String reply) {
    return sessions.pairing(number, pairingId, clock.millis()).compose(request -> request.isEmpty()
        ? Future.succeededFuture(false)
        : deliver(request.get().socketId(), new JsonObject().put("type", ProvisioningFrame.REPLY).put("reply", reply)));
  }

  /** True when the node holding the socket received the frame. */
  private Future<Boolean> deliver(String socketId, JsonObject frame) {
    return bus.publish(Channels.provisioningSocket(socketId), frame.encode()).map(received -> received > 0);
  }

  static boolean isCodeHello(String base64) {
    try {
      byte[] hello = Base64.getDecoder().decode(base64);
      return hello.length == CODE_HELLO_LENGTH && hello[0] == 1 && hello[1] == 0x20;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private String newId(int bytes) {
    byte[] id = new byte[bytes];
    random.nextBytes(id);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
  }

}
