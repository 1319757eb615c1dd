package org.quintet.relay.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.quintet.protocol.Delivery.Close;
import org.quintet.protocol.Delivery.Reason;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.IdentityKey;
import org.quintet.protocol.ProtocolException;
import org.quintet.relay.RelayConfig;
import org.quintet.relay.RelayLimits;
import org.quintet.relay.delivery.Connections;
import org.quintet.relay.limits.Limiter;
import org.quintet.relay.limits.RateLimiters;
import org.quintet.relay.storage.Device;
import org.quintet.relay.storage.RelayStorage;
import org.quintet.relay.verification.Verification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registration of a number on a primary (docs/relay-api.md). Verifying a number replaces any
 * earlier account of it; linking a companion is elsewhere ({@link DeviceController}) and never
 * goes through here.
 */
public final class RegistrationController implements Controller {
  private static final Logger LOG = LoggerFactory.getLogger(RegistrationController.class);
  private final RelayStorage storage;
  private final Verification verification;
  private final Connections connections;
  private final PreKeyUploads preKeys;
  private final RelayConfig config;
  private final Clock clock;
  private final RateLimiters limiters;

  public RegistrationController(RelayStorage storage, Verification verification, Connections connections,
      RelayConfig config, Clock clock, RateLimiters limiters) {
    this.limiters = limiters;
    this.storage = storage;
    this.verification = verification;
    this.connections = connections;
    this.preKeys = new PreKeyUploads(config);
    this.config = config;
    this.clock = clock;
  }

  @Override
  public void mount(Router router) {
    router.post("/v1/registration/code").handler(Controller.handler(ctx -> {
      String number = Fields.number(Fields.body(ctx), "number");
      // The client's address first: a script refused there uses up nothing of the number it names.
      Limiter.Take[] takes = {Limiter.VERIFICATION_CODES_PER_IP.of(limiters.client(ctx.request())),
          Limiter.VERIFICATION_CODES_PER_NUMBER.of(number), Limiter.VERIFICATION_CODES_TOTAL.of(RateLimiters.EVERYONE)};
      return limiters.check(takes)
          .compose(v -> verification.requestCode(number).recover(failure -> {
            // A code the gateway did not send counts for nothing, here as in the pending request.
            boolean unsent = failure instanceof ApiException refusal && refusal.error() == ApiError.VERIFICATION_UNAVAILABLE;
            return unsent ? limiters.giveBack(takes).transform(given -> Future.<Void>failedFuture(failure))
                : Future.failedFuture(failure);
          }))
          .map(v -> new JsonObject().put("expiresInSeconds", config.codeTtl().toSeconds())
              .put("sentBy", verification.channel()));
    }));
    router.post("/v1/registration/verify").handler(Controller.handler(ctx -> verify(ctx, Fields.body(ctx))));
  }

  private Future<JsonObject> verify(RoutingContext ctx, JsonObject body) {
    String number = Fields.number(body, "number");
    String code = Fields.string(body, "code");
    Registration registration = Registration.read(body, preKeys);
    return limiters.check(Limiter.VERIFICATION_ATTEMPTS_PER_IP.of(limiters.client(ctx.request())),
            Limiter.VERIFICATION_ATTEMPTS_PER_NUMBER.of(number))
        .compose(v -> verification.check(number, code)).compose(v -> storage.account(number)).compose(previous -> {
      long now = clock.millis();
      Device primary = new Device(number, Device.PRIMARY, registration.identity.encode(), registration.registrationId,
          registration.cert.encode(), registration.name, registration.platform, now, now);
      return storage.registerPrimary(number, registration.identity.signKey(), registration.list.encode(),
          registration.list.listVersion(), primary, registration.preKeys, now);
    }).map(removed -> {
      for (Device old : removed) {
        connections.disconnect(number, old.deviceId(), Close.NUMBER_REREGISTERED, Reason.REREGISTERED);
      }
      LOG.info("registered {} on a new primary ({} earlier devices logged out)", number, removed.size());
      return new JsonObject().put("number", number).put("deviceId", Device.PRIMARY);
    });
  }

  /** The checked contents of a verify request. */
  private record Registration(IdentityKey identity, int registrationId, DeviceCert cert, DeviceList list,
      org.quintet.relay.storage.PreKeys preKeys, String name, String platform) {

    static Registration read(JsonObject body, PreKeyUploads uploads) {
      IdentityKey identity = identity(Fields.bytes(body, "identityKey", IdentityKey.LENGTH));
      int registrationId = (int) Fields.integer(body, "registrationId", 1, Integer.MAX_VALUE);
      DeviceList list;
      try {
        list = DeviceList.verify(Fields.bytes(body, "deviceList", 1, RelayLimits.MAX_DEVICE_LIST_BYTES),
            identity.signKey(), null);
      } catch (ProtocolException e) {
        throw ApiException.invalid("the device list does not verify: " + e.error());
      }
      if (list.devices().size() != 1 || list.devices().get(0).id() != Device.PRIMARY
          || !list.devices().get(0).identity().equals(identity)) {
        throw ApiException.invalid("a new primary's device list names exactly itself, as device 1");
      }
      DeviceCert cert;
      try {
        cert = DeviceCert.parse(Arrays.copyOfRange(list.encode(), 50, 50 + DeviceCert.LENGTH));
      } catch (ProtocolException e) {
        throw ApiException.invalid("the device list's certificate is malformed");
      }
      return new Registration(identity, registrationId, cert, list, uploads.read(body, identity, true),
          Fields.deviceName(body),
          Fields.text(body, "platform", RelayLimits.MAX_PLATFORM_CHARS));
    }

    private static IdentityKey identity(byte[] bytes) {
      try {
        return IdentityKey.parse(bytes);
      } catch (ProtocolException e) {
        throw ApiException.invalid("identityKey is malformed");
      }
    }
  }

}
