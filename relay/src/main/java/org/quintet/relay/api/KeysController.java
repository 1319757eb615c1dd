package org.quintet.relay.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.Delivery.Event;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.IdentityKey;
import org.quintet.protocol.ProtocolException;
import org.quintet.relay.RelayConfig;
import org.quintet.relay.auth.AuthenticatedDevice;
import org.quintet.relay.delivery.Connections;
import org.quintet.relay.limits.Limiter;
import org.quintet.relay.limits.RateLimiters;
import org.quintet.relay.storage.Account;
import org.quintet.relay.storage.Device;
import org.quintet.relay.storage.PreKeys;
import org.quintet.relay.storage.RelayStorage;

/** Prekey upload and the bundles an initiator fetches (docs/protocol.md section 3). */
public final class KeysController implements Controller {
  private final RelayStorage storage;
  private final Connections connections;
  private final RelayConfig config;
  private final PreKeyUploads uploads;
  private final RateLimiters limiters;

  public KeysController(RelayStorage storage, Connections connections, RelayConfig config, RateLimiters limiters) {
    this.limiters = limiters;
    this.storage = storage;
    this.connections = connections;
    this.config = config;
    this.uploads = new PreKeyUploads(config);
  }

  @Override
  public void mount(Router router) {
    router.put("/v1/keys").handler(Controller.handler(ctx -> upload(Controller.device(ctx), Fields.body(ctx))));
    router.get("/v1/keys/count").handler(Controller.handler(ctx -> {
      AuthenticatedDevice caller = Controller.device(ctx);
      return storage.oneTimePreKeyCount(caller.number(), caller.deviceId())
          .map(count -> new JsonObject().put("oneTimePreKeys", count));
    }));
    router.get("/v1/keys/:number").handler(Controller.handler(ctx ->
        bundles(Controller.device(ctx), Fields.number(ctx.pathParam("number")), null)));
    router.get("/v1/keys/:number/:deviceId").handler(Controller.handler(ctx ->
        bundles(Controller.device(ctx), Fields.number(ctx.pathParam("number")), Fields.deviceId(ctx.pathParam("deviceId")))));
  }

  private Future<JsonObject> upload(AuthenticatedDevice caller, JsonObject body) {
    return storage.device(caller.number(), caller.deviceId()).compose(device -> {
      IdentityKey identity = identity(device.orElseThrow().identityKey());
      PreKeys keys = uploads.read(body, identity, false);
      return storage.oneTimePreKeyCount(caller.number(), caller.deviceId()).compose(count -> {
        if (count + keys.oneTimePreKeys().size() > config.maxStoredOneTimePreKeys()) {
          throw new ApiException(ApiError.TOO_MANY_PREKEYS, "a device keeps at most "
              + config.maxStoredOneTimePreKeys() + " one-time prekeys on the relay");
        }
        return storage.storePreKeys(caller.number(), caller.deviceId(), keys)
            .map(v -> new JsonObject().put("oneTimePreKeys", count + keys.oneTimePreKeys().size()));
      });
    });
  }

  /** Every fetch uses up one-time prekeys, so both the fetching account and the fetched one are limited. */
  private Future<JsonObject> bundles(AuthenticatedDevice caller, String number, Long onlyDevice) {
    return limiters.check(Limiter.PRE_KEY_FETCHES_PER_ACCOUNT.of(caller.number()),
            Limiter.PRE_KEY_FETCHES_PER_TARGET.of(number))
        .compose(v -> storage.account(number)).compose(found -> {
      Account account = found.orElseThrow(() -> new ApiException(ApiError.UNKNOWN_ACCOUNT, "no account has this number"));
      Set<Long> listed = DeviceList.deviceIdsOf(account.deviceList());
      return storage.devices(number).compose(devices -> {
        List<Device> wanted = new ArrayList<>();
        for (Device device : devices) {
          boolean self = number.equals(caller.number()) && device.deviceId() == caller.deviceId();
          if (listed.contains(device.deviceId()) && !self
              && (onlyDevice == null || onlyDevice == device.deviceId())) {
            wanted.add(device);
          }
        }
        if (onlyDevice != null && wanted.isEmpty()) {
          throw new ApiException(ApiError.UNKNOWN_DEVICE, "no such device in the account's list");
        }
        List<Future<JsonObject>> entries = new ArrayList<>();
        for (Device device : wanted) {
          entries.add(bundle(device));
        }
        return Future.all(entries).map(all -> {
          JsonArray out = new JsonArray();
          entries.forEach(entry -> out.add(entry.result()));
          return new JsonObject().put("accountKey", Fields.base64(account.accountKey()))
              .put("deviceList", Fields.base64(account.deviceList()))
              .put("deviceListVersion", account.deviceListVersion()).put("devices", out);
        });
      });
    });
  }

  private Future<JsonObject> bundle(Device device) {
    String number = device.number();
    long id = device.deviceId();
    return storage.signedPreKey(number, id).compose(signed -> storage.takeOneTimePreKey(number, id).map(oneTime -> {
      byte[] spk = signed.orElseThrow(() -> new IllegalStateException("a device without a signed prekey"));
      byte[] bundle = oneTime
          .map(o -> Bytes.concat(device.identityKey(), spk, new byte[] {1}, o))
          .orElseGet(() -> Bytes.concat(device.identityKey(), spk, new byte[] {0}));
      if (oneTime.isPresent()) {
        warnIfLow(number, id);
      }
      return new JsonObject().put("deviceId", id).put("registrationId", device.registrationId())
          .put("bundle", Fields.base64(bundle));
    }));
  }

  private void warnIfLow(String number, long deviceId) {
    storage.oneTimePreKeyCount(number, deviceId).onSuccess(count -> {
      if (count < config.lowPreKeyThreshold()) {
        connections.notifyDevice(number, deviceId, new JsonObject().put("type", Event.PREKEYS_LOW).put("count", count));
      }
    });
  }

  private static IdentityKey identity(byte[] stored) {
    try {
      return IdentityKey.parse(stored);
    } catch (ProtocolException e) {
      throw new IllegalStateException("a stored identity key is malformed", e);
    }
  }


}
