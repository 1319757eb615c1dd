package org.quintet.relay.linking;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.quintet.protocol.Envelope;
import org.quintet.relay.delivery.Connections;
import org.quintet.relay.storage.RelayStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay's part in linking (docs/linking.md): it carries the companion's and the primary's
 * linking messages between them and never reads them. QR: a one-time address the companion shows,
 * to which the primary sends a sealed provisioning message. Code: a pairing request the primary is
 * told about, whose reply and confirmation the relay forwards, with limits on time, wrong codes
 * and requests per number. Runs on one event loop; state is this node's memory.
 */
public final class Linking {
  private static final Logger LOG = LoggerFactory.getLogger(Linking.class);
  public static final long SOCKET_LIFETIME_MILLIS = 5 * 60_000;
  public static final long ADDRESS_LIFETIME_SECONDS = 60;
  public static final long PAIRING_LIFETIME_MILLIS = 3 * 60_000;
  public static final int MAX_WRONG_CODES = 3;
  public static final int MAX_PAIRINGS_PER_NUMBER = 5;
  public static final long PAIRING_WINDOW_MILLIS = 10 * 60_000;
  public static final int TIMED_OUT = 4010;
  static final int CODE_HELLO_LENGTH = 130;

  private final Vertx vertx;
  private final RelayStorage storage;
  private final Connections connections;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, ProvisioningSocket> byAddress = new HashMap<>();
  private final Map<String, Pairing> pairings = new HashMap<>();
  private final Map<String, Deque<Long>> pairingTimes = new HashMap<>();

  public Linking(Vertx vertx, RelayStorage storage, Connections connections, Clock clock) {
    this.vertx = vertx;
    this.storage = storage;
    this.connections = connections;
    this.clock = clock;
  }

  /** A companion opened the provisioning socket. */
  public void open(ServerWebSocket socket) {
    ProvisioningSocket companion = new ProvisioningSocket(socket);
    long lifetime = vertx.setTimer(SOCKET_LIFETIME_MILLIS,
        id -> companion.close(TIMED_OUT, "linking timed out; reload to try again"));
    socket.closeHandler(v -> {
      companion.closed = true;
      vertx.cancelTimer(lifetime);
      byAddress.remove(companion.address);
      if (companion.pairing != null) {
        end(companion.pairing, "CANCELLED");
      }
    });
    socket.textMessageHandler(text -> onFrame(companion, text));
    socket.binaryMessageHandler(data -> companion.error("INVALID_FRAME", "frames are JSON text"));
    rotate(companion);
  }

  private void rotate(ProvisioningSocket companion) {
    byAddress.remove(companion.address);
    byte[] address = new byte[16];
    random.nextBytes(address);
    companion.address = Base64.getUrlEncoder().withoutPadding().encodeToString(address);
    byAddress.put(companion.address, companion);
    companion.send(new JsonObject().put("type", "address").put("address", companion.address)
        .put("expiresInSeconds", ADDRESS_LIFETIME_SECONDS));
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
    if ("rotate".equals(type)) {
      rotate(companion);
    } else if ("pair".equals(type)) {
      pair(companion, frame);
    } else if ("wrong-code".equals(type) && companion.pairing != null) {
      wrongCode(companion.pairing);
    } else if ("confirm".equals(type) && companion.pairing != null && frame.getValue("confirm") instanceof String c) {
      confirm(companion.pairing, c);
    } else {
      companion.error("INVALID_FRAME", "unexpected frame");
    }
  }

  private void pair(ProvisioningSocket companion, JsonObject frame) {
    if (companion.pairing != null) {
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
    Deque<Long> recent = pairingTimes.computeIfAbsent(number, n -> new ArrayDeque<>());
    while (!recent.isEmpty() && recent.peekFirst() <= now - PAIRING_WINDOW_MILLIS) {
      recent.removeFirst();
    }
    if (recent.size() >= MAX_PAIRINGS_PER_NUMBER) {
      companion.error("RATE_LIMITED", "too many linking requests for this number; try again later");
      return;
    }
    recent.addLast(now);
    storage.account(number).onComplete(found -> {
      if (companion.closed || companion.pairing != null) {
        return;
      }
      if (found.failed() || found.result().isEmpty()) {
        companion.error("UNKNOWN_ACCOUNT", "no account has this number");
        return;
      }
      Pairing pairing = new Pairing(newId(), number, hello, now + PAIRING_LIFETIME_MILLIS, companion);
      pairing.timer = vertx.setTimer(PAIRING_LIFETIME_MILLIS, id -> end(pairing, "EXPIRED"));
      pairings.put(pairing.id, pairing);
      companion.pairing = pairing;
      companion.send(new JsonObject().put("type", "pairing").put("pairingId", pairing.id)
          .put("expiresInSeconds", PAIRING_LIFETIME_MILLIS / 1000));
      connections.notifyDevice(number, 1, request(pairing));
      LOG.info("pairing request {} for {}", pairing.id, number);
    });
  }

  private JsonObject request(Pairing pairing) {
    return new JsonObject().put("type", "pairing-request").put("pairingId", pairing.id).put("hello", pairing.hello)
        .put("expiresInSeconds", Math.max(0, (pairing.expiresAt - clock.millis()) / 1000));
  }

  private void wrongCode(Pairing pairing) {
    pairing.wrongCodes++;
    int left = MAX_WRONG_CODES - pairing.wrongCodes;
    connections.notifyDevice(pairing.number, 1, new JsonObject().put("type", "pairing-wrong-code")
        .put("pairingId", pairing.id).put("attemptsLeft", Math.max(0, left)));
    if (left <= 0) {
      end(pairing, "TOO_MANY_WRONG_CODES");
    }
  }

  private void confirm(Pairing pairing, String confirm) {
    connections.notifyDevice(pairing.number, 1, new JsonObject().put("type", "pairing-confirm")
        .put("pairingId", pairing.id).put("confirm", confirm));
    forget(pairing);
  }

  private void end(Pairing pairing, String reason) {
    if (pairings.get(pairing.id) != pairing) {
      return;
    }
    forget(pairing);
    pairing.companion.send(new JsonObject().put("type", "pairing-ended").put("reason", reason));
    connections.notifyDevice(pairing.number, 1, new JsonObject().put("type", "pairing-ended")
        .put("pairingId", pairing.id).put("reason", reason));
  }

  private void forget(Pairing pairing) {
    pairings.remove(pairing.id);
    vertx.cancelTimer(pairing.timer);
    if (pairing.companion.pairing == pairing) {
      pairing.companion.pairing = null;
    }
  }

  // --- the primary's side, called by LinkingController ------------------------------------------

  /** Hands a sealed provisioning message to the companion at this address; false if none waits. */
  boolean provision(String address, String message) {
    ProvisioningSocket companion = byAddress.get(address);
    if (companion == null || companion.closed) {
      return false;
    }
    companion.send(new JsonObject().put("type", "provision").put("message", message));
    return true;
  }

  JsonArray pendingPairings(String number) {
    JsonArray out = new JsonArray();
    pairings.values().stream().filter(p -> p.number.equals(number)).forEach(p -> out.add(request(p)));
    return out;
  }

  /** Forwards the primary's reply; false when the request is unknown, ended, or of another number. */
  boolean reply(String number, String pairingId, String reply) {
    Pairing pairing = pairings.get(pairingId);
    if (pairing == null || !pairing.number.equals(number)) {
      return false;
    }
    pairing.companion.send(new JsonObject().put("type", "reply").put("reply", reply));
    return true;
  }

  static boolean isCodeHello(String base64) {
    try {
      byte[] hello = Base64.getDecoder().decode(base64);
      return hello.length == CODE_HELLO_LENGTH && hello[0] == 1 && hello[1] == 0x20;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private String newId() {
    byte[] id = new byte[12];
    random.nextBytes(id);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
  }

}
