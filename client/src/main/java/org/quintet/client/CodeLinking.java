package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.quintet.protocol.CodePairing;
import org.quintet.protocol.Delivery.Event;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;

/**
 * The primary's side of linking by number and code (docs/linking.md, "Phone number + code"): the
 * user typed the code a companion shows; the primary answers the account's pending requests with
 * a reply under that code, and signs the companion in only once its confirmation opened (which
 * proves it holds the code) and the relay linked it with the same certificate, in either order.
 *
 * <p>The primary cannot tell from a request whether the code is its own (nothing in it is
 * testable), so when several requests wait it answers each: only the companion that shows the
 * code can open its reply; the others count a wrong code.
 */
final class CodeLinking {
  private final Vertx vertx;
  private final RelayAuth relay;
  private final LocalStore store;
  private final Linking linking;
  private final LinkEvents events;
  private final LinkCompletion completion;
  private final KeySource source;

  CodeLinking(Vertx vertx, RelayAuth relay, LocalStore store, Linking linking, LinkEvents events,
      LinkCompletion completion, KeySource source) {
    this.vertx = vertx;
    this.relay = relay;
    this.store = store;
    this.linking = linking;
    this.events = events;
    this.completion = completion;
    this.source = source;
  }

  /** {@code code} is the normalised code the user typed. */
  Future<LinkedDevice> link(String code, LinkOptions options) {
    return linking.nextDeviceId().compose(deviceId -> {
      Attempt attempt = new Attempt(code, deviceId);
      // Watching first: a request that comes while the pending ones are fetched is answered too.
      long seconds = options.timeout().toSeconds();
      Future<DeviceCert> confirmed = attempt.start(options.timeout(), () -> attempt.answered
          ? "no companion confirmed the code within " + seconds + " s"
          : "no companion asked to link " + store.number() + " within " + seconds
              + " s; enter the number on the companion first");
      relay.call(HttpMethod.GET, "/v1/pairing", null).onComplete(pending -> {
        if (pending.failed()) {
          attempt.fail(pending.cause());
          return;
        }
        JsonArray requests = pending.result().getJsonArray("requests", new JsonArray());
        requests.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast).forEach(attempt::answer);
        // A companion shows its code only once the relay holds its request, so none pending means
        // none is coming for this code: say so now rather than after the whole timeout.
        if (!attempt.answered) {
          attempt.fail(new LinkingException(LinkingException.Reason.NO_REQUEST, "no companion asked to link "
              + store.number() + "; enter the number on the companion first, then type the code it shows"));
        }
      });
      return confirmed;
    }).compose(cert -> completion.complete(cert, options));
  }

  /** A reply sent to one pairing request: the exchange, and the certificate it carries. */
  private record Reply(CodePairing.Primary exchange, DeviceCert issued) {}

  /** One code the user typed, answered to the requests that wait, until one companion confirms it. */
  private final class Attempt extends LinkWait<DeviceCert> {
    private final String code;
    private final long deviceId;
    /** The requests being answered or answered, by pairing id, until they fail or end. */
    private final Set<String> open = new HashSet<>();
    private final Map<String, Reply> replies = new HashMap<>();
    /** Whether any request was answered: one that comes later belongs to another attempt. */
    private boolean answered;
    private int attemptsLeft = -1;
    private DeviceCert confirmed;
    private DeviceCert linked;

    Attempt(String code, long deviceId) {
      super(vertx, events);
      this.code = code;
      this.deviceId = deviceId;
    }

    /** Answers a pending request with a reply under the typed code and a certificate for its companion. */
    void answer(JsonObject request) {
      String pairingId = request.getString("pairingId", "");
      byte[] hello;
      try {
        hello = LinkPayloads.base64(request, "hello");
      } catch (ProtocolException e) {
        return;
      }
      if (isDone() || open.contains(pairingId)) {
        return;
      }
      DeviceCert issued;
      try {
        issued = linking.issue(CodePairing.companionIdentity(hello), deviceId);
      } catch (ProtocolException e) {
        return;
      }
      answered = true;
      open.add(pairingId);
      byte[] payload = LinkPayloads.provisioning(store.number(), issued);
      // The code's key stretching takes a noticeable while: not on the event loop.
      vertx.executeBlocking(() -> CodePairing.Primary.respond(source, code, hello, payload)).compose(exchange -> {
        // Known before the relay has the reply: its answer to it may come before the HTTP answer.
        replies.put(pairingId, new Reply(exchange, issued));
        JsonObject body = new JsonObject().put("reply", Base64.getEncoder().encodeToString(exchange.reply()));
        return relay.call(HttpMethod.POST, "/v1/pairing/" + pairingId + "/reply", body);
      }).onFailure(error -> {
        // The request ended meanwhile, or its hello was malformed: it is no longer one to wait for.
        open.remove(pairingId);
        endIfNoneLeft(error);
      });
    }

    @Override
    public void onEvent(JsonObject event) {
      String pairingId = event.getString("pairingId", "");
      switch (event.getString("type", "")) {
        case Event.PAIRING_REQUEST -> {
          if (!answered) {
            answer(event);
          }
        }
        case Event.PAIRING_WRONG_CODE -> {
          if (forget(pairingId)) {
            attemptsLeft = Math.max(attemptsLeft, event.getInteger("attemptsLeft", 0));
            endIfNoneLeft(new LinkingException(LinkingException.Reason.WRONG_CODE, attemptsLeft > 0
                ? "the companion shows another code; try again (" + attemptsLeft + " attempts left)"
                : "the companion shows another code, and no attempts are left: start linking again on it",
                attemptsLeft));
          }
        }
        case Event.PAIRING_ENDED -> {
          if (forget(pairingId)) {
            endIfNoneLeft(new LinkingException(LinkingException.Reason.ENDED, "the linking request ended ("
                + event.getString("reason", "ENDED") + "); start again on the companion"));
          }
        }
        case Event.PAIRING_CONFIRM -> onConfirm(replies.get(pairingId), event);
        case Event.DEVICE_LINKED -> {
          if (event.getLong("deviceId", 0L) == deviceId) {
            try {
              linked = DeviceCert.parse(LinkPayloads.base64(event, "cert"));
              completeWhenBoth();
            } catch (ProtocolException e) {
              fail(e);
            }
          }
        }
        default -> {
          // Other events are not about this attempt.
        }
      }
    }

    /** The confirmation opens only for the companion that holds the code: its certificate is the one to sign. */
    private void onConfirm(Reply reply, JsonObject event) {
      if (reply == null) {
        return;
      }
      try {
        DeviceCert cert = LinkPayloads.parseConfirmation(reply.exchange().openConfirm(
            LinkPayloads.base64(event, "confirm")));
        linking.requireCounterSigned(reply.issued(), cert);
        confirmed = cert;
        completeWhenBoth();
      } catch (ProtocolException e) {
        fail(e);
      }
    }

    /** Signs only a device that both confirmed the code and was linked by the relay with the same certificate. */
    private void completeWhenBoth() {
      if (confirmed == null || linked == null) {
        return;
      }
      if (Arrays.equals(confirmed.encode(), linked.encode())) {
        complete(confirmed);
      } else {
        fail(new ProtocolException(ProtocolError.UNTRUSTED_DEVICE, "device " + deviceId
            + " was linked on the relay with another certificate than the one the companion confirmed"));
      }
    }

    private boolean forget(String pairingId) {
      replies.remove(pairingId);
      return open.remove(pairingId);
    }

    /** The attempt failed once no request it answered can still confirm. */
    private void endIfNoneLeft(Throwable why) {
      if (open.isEmpty() && confirmed == null) {
        fail(why);
      }
    }
  }
}
