package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import org.quintet.protocol.Delivery.Event;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.ProtocolException;
import org.quintet.protocol.ProvisioningCipher;

/**
 * The primary's side of QR linking (docs/linking.md, "QR"): certify the identity the companion's
 * QR shows, seal the provisioning payload to its provisioning key, hand it to the relay address,
 * and wait for the relay's {@code device-linked} with the certificate counter-signed.
 */
final class QrLinking {
  private final Vertx vertx;
  private final RelayAuth relay;
  private final LocalStore store;
  private final Linking linking;
  private final LinkEvents events;
  private final LinkCompletion completion;
  private final KeySource source;

  QrLinking(Vertx vertx, RelayAuth relay, LocalStore store, Linking linking, LinkEvents events,
      LinkCompletion completion, KeySource source) {
    this.vertx = vertx;
    this.relay = relay;
    this.store = store;
    this.linking = linking;
    this.events = events;
    this.completion = completion;
    this.source = source;
  }

  Future<LinkedDevice> link(LinkUri uri, LinkOptions options) {
    return linking.nextDeviceId()
        .compose(deviceId -> provision(uri, linking.issue(uri.identity(), deviceId), options))
        .compose(cert -> completion.complete(cert, options));
  }

  /** Sends the sealed payload; answers the certificate the companion counter-signed. */
  private Future<DeviceCert> provision(LinkUri uri, DeviceCert issued, LinkOptions options) {
    return Futures.of(() -> {
      byte[] sealed = ProvisioningCipher.seal(source, uri.provisioningKey(),
          LinkPayloads.provisioning(store.number(), issued));
      Linked linked = new Linked(issued);
      // Watching before the relay has the message: the companion may link faster than the answer comes.
      Future<DeviceCert> counterSigned = linked.start(options.timeout(),
          () -> "the companion did not link within " + options.timeout().toSeconds() + " s");
      JsonObject request = new JsonObject().put("message", Base64.getEncoder().encodeToString(sealed));
      relay.call(HttpMethod.PUT, "/v1/provisioning/" + uri.address(), request).onFailure(error -> linked.fail(
          error instanceof RelayException refused && refused.status() == 404
              ? new RelayException(404, refused.code(), "the code changed or expired: scan the current one",
                  refused.details())
              : error));
      return counterSigned;
    });
  }

  /** Waits for the relay to say the companion linked itself with the certificate issued. */
  private final class Linked extends LinkWait<DeviceCert> {
    private final DeviceCert issued;

    Linked(DeviceCert issued) {
      super(vertx, events);
      this.issued = issued;
    }

    @Override
    public void onEvent(JsonObject event) {
      if (!Event.DEVICE_LINKED.equals(event.getString("type")) || event.getLong("deviceId", 0L) != issued.deviceId()) {
        return;
      }
      try {
        DeviceCert cert = DeviceCert.parse(LinkPayloads.base64(event, "cert"));
        linking.requireCounterSigned(issued, cert);
        complete(cert);
      } catch (ProtocolException e) {
        fail(e);
      }
    }
  }
}
