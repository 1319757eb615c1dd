package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import org.quintet.protocol.CodePairing;
import org.quintet.protocol.Delivery;
import org.quintet.protocol.Delivery.Close;
import org.quintet.protocol.Delivery.ProvisioningFrame;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.IdentityKey;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;
import org.quintet.protocol.ProvisioningCipher;
import org.quintet.protocol.X25519KeyPair;

/**
 * The companion's side of linking (docs/linking.md) over the provisioning socket: by QR (show a
 * URI per relay address, rotating, until a primary provisions it) or by number and code (show the
 * code, answer the primary's reply). Both end with the certificate checked, counter-signed and
 * registered with the relay. One flow at a time; used on the client's event loop.
 */
final class CompanionLinking {
  /** How often the QR changes: often enough that a photographed code is soon useless. */
  static final long ROTATE_MILLIS = 30_000;
  /** An attempt ends after this, linked or not: as long as the relay keeps a provisioning socket. */
  static final Duration ATTEMPT = Duration.ofMinutes(5);
  private final Vertx vertx;
  private final RelayApi api;
  private final Linking linking;
  private final KeySource source;
  private Flow running;

  CompanionLinking(Vertx vertx, RelayApi api, Linking linking, KeySource source) {
    this.vertx = vertx;
    this.api = api;
    this.linking = linking;
    this.source = source;
  }

  Future<LinkedAccount> byQr(IdentityKey identity, String name, String platform, LinkListener listener) {
    return start(new QrFlow(identity, name, platform, listener));
  }

  Future<LinkedAccount> byCode(IdentityKey identity, String number, String name, String platform,
      LinkListener listener) {
    // The code's key stretching takes a noticeable while: not on the event loop.
    return vertx.executeBlocking(() -> CodePairing.Companion.start(source, identity))
        .compose(pairing -> start(new CodeFlow(pairing, identity, number, name, platform, listener)));
  }

  /** Ends the flow under way, if any, as cancelled. */
  void cancel() {
    if (running != null) {
      running.finish(Future.failedFuture(new LinkingException(LinkingException.Reason.ENDED, "linking was cancelled")));
    }
  }

  private Future<LinkedAccount> start(Flow flow) {
    if (running != null) {
      return Future.failedFuture(new IllegalStateException("this client is linking already"));
    }
    running = flow;
    ProvisioningChannel.open(vertx, api, flow).onComplete(opened -> {
      if (opened.failed()) {
        flow.finish(Future.failedFuture(opened.cause()));
      } else {
        flow.attach(opened.result());
      }
    });
    return flow.result.future().onComplete(done -> running = null);
  }

  /** A certificate the companion checked and counter-signed, and the account it joins. */
  private record Accepted(String number, DeviceCert cert) {}

  /** One linking attempt: its socket, and its outcome once the relay accepted the new device. */
  private abstract class Flow implements ProvisioningChannel.Frames {
    final Promise<LinkedAccount> result = Promise.promise();
    final String name;
    final String platform;
    final LinkListener listener;
    ProvisioningChannel channel;
    /** A primary's answer is being checked and registered: later frames do not matter. */
    boolean answered;
    private final long endsAt = System.currentTimeMillis() + ATTEMPT.toMillis();
    /** Sockets tried since the last one that opened. */
    private int reconnects;
    private long reconnectTimer = -1;

    Flow(String name, String platform, LinkListener listener) {
      this.name = name;
      this.platform = platform;
      this.listener = listener;
    }

    /** The socket is open: the first one, or a new one after a lost one. */
    abstract void opened();

    void attach(ProvisioningChannel opened) {
      if (result.future().isComplete()) {
        opened.close();
        return;
      }
      channel = opened;
      opened();
    }

    /** A frame of this flow's own kind; {@code error} frames and the close are handled for both. */
    abstract void onOwnFrame(String type, JsonObject frame);

    @Override
    public void onFrame(JsonObject frame) {
      if (answered || result.future().isComplete()) {
        return;
      }
      String type = frame.getString("type", "");
      if ("error".equals(type)) {
        finish(Future.failedFuture(new RelayException(0, frame.getString("error", "ERROR"),
            frame.getString("message", "the relay refused a linking frame"), frame)));
      } else {
        onOwnFrame(type, frame);
      }
    }

    /**
     * The relay's own end of the attempt is final; a socket that was merely lost (the relay
     * restarted, the network dropped) is opened again after the reconnect policy's wait, and the
     * flow starts over on it: what the lost one held (the QR's address, a code's request) died with it.
     */
    @Override
    public void onClosed(int code, String reason) {
      if (answered || result.future().isComplete()) {
        return;
      }
      if (code == Close.LINK_TIMED_OUT) {
        finish(Future.failedFuture(new LinkingException(LinkingException.Reason.TIMED_OUT,
            "the relay ended linking after 5 minutes; start again")));
        return;
      }
      reconnectLater(new ConnectionClosed(code, reason, false));
    }

    private void reconnectLater(ConnectionClosed why) {
      long delay = Delivery.Reconnect.delay(reconnects++, ThreadLocalRandom.current().nextDouble()).toMillis();
      if (System.currentTimeMillis() + delay > endsAt) {
        finish(Future.failedFuture(new LinkingException(LinkingException.Reason.TIMED_OUT,
            "the relay could not be reached again within 5 minutes; start again")));
        return;
      }
      channel = null;
      listener.onReconnecting(why, delay);
      reconnectTimer = vertx.setTimer(delay, id -> ProvisioningChannel.open(vertx, api, this).onComplete(opened -> {
        if (opened.failed()) {
          if (!result.future().isComplete()) {
            reconnectLater(new ConnectionClosed(-1, opened.cause().getMessage(), false));
          }
          return;
        }
        reconnects = 0;
        if (!result.future().isComplete()) {
          listener.onReconnected();
        }
        attach(opened.result());
      }));
    }

    void finish(Future<LinkedAccount> outcome) {
      answered = true;
      vertx.cancelTimer(reconnectTimer);
      outcome.onComplete(done -> {
        if (channel != null) {
          channel.close();
        }
        onFinished();
        if (done.succeeded()) {
          result.tryComplete(done.result());
        } else {
          result.tryFail(done.cause());
        }
      });
    }

    void onFinished() {}
  }

  /** QR: a URI per relay address until a primary sends the sealed provisioning message. */
  private final class QrFlow extends Flow {
    private final X25519KeyPair provisioningKey = source.newX25519();
    private final IdentityKey identity;
    private long rotation = -1;

    QrFlow(IdentityKey identity, String name, String platform, LinkListener listener) {
      super(name, platform, listener);
      this.identity = identity;
    }

    @Override
    void opened() {
      // The relay sends the first address by itself.
    }

    @Override
    void onOwnFrame(String type, JsonObject frame) {
      switch (type) {
        case ProvisioningFrame.ADDRESS -> {
          listener.onLinkUri(new LinkUri(frame.getString("address"), provisioningKey.publicKey(), identity, name)
              .toString());
          vertx.cancelTimer(rotation);
          rotation = vertx.setTimer(ROTATE_MILLIS, id -> channel.send(new JsonObject().put("type", ProvisioningFrame.ROTATE)));
        }
        case ProvisioningFrame.PROVISION -> finish(Futures.value(() -> {
          LinkPayloads.Provisioning payload = LinkPayloads.parseProvisioning(ProvisioningCipher.open(provisioningKey,
              LinkPayloads.base64(frame, "message")));
          return new Accepted(payload.number(), linking.accept(payload));
        }).compose(accepted -> linking.register(accepted.number(), accepted.cert(), name, platform)));
        default -> {
          // Frames of a later relay version: nothing this flow needs.
        }
      }
    }

    @Override
    void onFinished() {
      vertx.cancelTimer(rotation);
    }
  }

  /** Code: the hello with the account's number, then the primary's reply under the code the user typed there. */
  private final class CodeFlow extends Flow {
    /** The code shown now; a new socket needs a new one, since the request died with the old socket. */
    private CodePairing.Companion pairing;
    private final IdentityKey identity;
    private boolean first = true;
    private final String number;

    CodeFlow(CodePairing.Companion pairing, IdentityKey identity, String number, String name, String platform,
        LinkListener listener) {
      super(name, platform, listener);
      this.pairing = pairing;
      this.identity = identity;
      this.number = number;
    }

    @Override
    void opened() {
      if (first) {
        first = false;
        pair();
        return;
      }
      // The code's key stretching takes a noticeable while: not on the event loop.
      vertx.executeBlocking(() -> CodePairing.Companion.start(source, identity)).onSuccess(fresh -> {
        pairing = fresh;
        if (channel != null && !result.future().isComplete()) {
          pair();
        }
      }).onFailure(e -> finish(Future.failedFuture(e)));
    }

    private void pair() {
      channel.send(new JsonObject().put("type", ProvisioningFrame.PAIR).put("number", number)
          .put("hello", Base64.getEncoder().encodeToString(pairing.hello())));
    }

    @Override
    void onOwnFrame(String type, JsonObject frame) {
      switch (type) {
        // The relay told the primary: now the code is worth typing there.
        case ProvisioningFrame.PAIRING -> listener.onLinkCode(pairing.code());
        case ProvisioningFrame.REPLY -> onReply(frame);
        case ProvisioningFrame.PAIRING_ENDED -> finish(Future.failedFuture(new LinkingException(LinkingException.Reason.ENDED,
            "the relay ended the linking request (" + frame.getString("reason", "ENDED") + "); start again")));
        default -> {
          // "address": sent to every provisioning socket, of no use to a code.
        }
      }
    }

    private void onReply(JsonObject frame) {
      byte[] payload;
      try {
        payload = pairing.openReply(LinkPayloads.base64(frame, "reply"));
      } catch (ProtocolException e) {
        if (e.error() != ProtocolError.AUTH_FAILED) {
          finish(Future.failedFuture(e));
          return;
        }
        // The primary typed another code; the relay counts it, and the user may try again there.
        listener.onWrongCode();
        channel.send(new JsonObject().put("type", ProvisioningFrame.WRONG_CODE));
        return;
      }
      finish(Futures.value(() -> {
        LinkPayloads.Provisioning provisioning = LinkPayloads.parseProvisioning(payload);
        if (!provisioning.number().equals(number)) {
          throw new ProtocolException(ProtocolError.UNTRUSTED_DEVICE,
              "the primary of " + provisioning.number() + " answered, not the one of " + number);
        }
        return linking.accept(provisioning);
      }).compose(cert -> linking.register(number, cert, name, platform).compose(linked -> Futures.value(() -> {
        // The confirmation proves to the primary that this device holds the code; sent once the
        // relay admitted this device, so the primary can sign it into the list right away.
        channel.send(new JsonObject().put("type", ProvisioningFrame.CONFIRM).put("confirm",
            Base64.getEncoder().encodeToString(pairing.confirm(LinkPayloads.confirmation(cert)))));
        return linked;
      }))));
    }
  }
}
