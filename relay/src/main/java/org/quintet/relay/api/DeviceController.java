package org.quintet.relay.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.quintet.protocol.Delivery.Close;
import org.quintet.protocol.Delivery.Event;
import org.quintet.protocol.Delivery.Reason;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.ProtocolException;
import org.quintet.relay.RelayConfig;
import org.quintet.relay.RelayLimits;
import org.quintet.relay.auth.AuthenticatedDevice;
import org.quintet.relay.delivery.Connections;
import org.quintet.relay.limits.Limiter;
import org.quintet.relay.limits.RateLimiters;
import org.quintet.relay.metrics.RelayMetrics;
import org.quintet.relay.storage.Account;
import org.quintet.relay.storage.Device;
import org.quintet.relay.storage.RelayStorage;
import org.quintet.relay.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An account's devices: who they are, the list the primary signs, admitting a companion the
 * primary certified, renaming one and removing one.
 */
public final class DeviceController implements Controller {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceController.class);
  private static final JsonObject DEVICES_CHANGED = new JsonObject().put("type", Event.DEVICES_CHANGED);
  private static final String CERT_DOES_NOT_VERIFY = "the certificate does not verify for this number's account";
  /**
   * What a certificate is checked against when its number has no account: a real key whose private
   * half was never kept, so no certificate verifies with it.
   */
  private static final byte[] NO_ACCOUNT_KEY = KeySource.secure().newEd25519().publicKey();
  private final RelayStorage storage;
  private final Connections connections;
  private final RelayConfig config;
  private final PreKeyUploads preKeys;
  private final Clock clock;
  private final RelayMetrics metrics;
  private final RateLimiters limiters;

  public DeviceController(RelayStorage storage, Connections connections, RelayConfig config, Clock clock,
      RelayMetrics metrics, RateLimiters limiters) {
    this.storage = storage;
    this.connections = connections;
    this.config = config;
    this.preKeys = new PreKeyUploads(config);
    this.clock = clock;
    this.metrics = metrics;
    this.limiters = limiters;
  }

  /** Routes that need a token. */
  @Override
  public void mount(Router router) {
    router.get("/v1/accounts/:number").handler(Controller.handler(ctx ->
        account(Controller.device(ctx), Fields.number(ctx.pathParam("number")))));
    router.put("/v1/devices/list").handler(Controller.handler(ctx ->
        replaceList(Controller.device(ctx), Fields.body(ctx))));
    router.put("/v1/devices/:deviceId/name").handler(Controller.handler(ctx ->
        rename(Controller.device(ctx), Fields.deviceId(ctx.pathParam("deviceId")), Fields.body(ctx))));
    router.delete("/v1/devices/:deviceId").handler(Controller.handler(ctx ->
        remove(Controller.device(ctx), Fields.deviceId(ctx.pathParam("deviceId")))));
  }

  /** The one route a device calls before it has a token: its certificate is its authority. */
  public void mountLink(Router router) {
    router.post("/v1/devices/link").handler(Controller.handler(ctx -> Controller.attempt(() -> link(Fields.body(ctx)))
        .andThen(admitted -> {
          if (admitted.succeeded()) {
            metrics.linkCompleted();
          } else {
            metrics.linkRefused(refusal(admitted.cause()));
          }
        })));
  }

  /** Why a companion was not admitted, as the link metrics name it. */
  private static RelayMetrics.LinkRefusal refusal(Throwable failure) {
    if (!(failure instanceof ApiException refused) || refused.status() >= 500) {
      return RelayMetrics.LinkRefusal.ADMIT_FAILED;
    }
    return switch (refused.error()) {
      case INVALID_CERT -> RelayMetrics.LinkRefusal.ADMIT_INVALID_CERT;
      case TOO_MANY_DEVICES -> RelayMetrics.LinkRefusal.ADMIT_TOO_MANY_DEVICES;
      case DEVICE_ID_TAKEN -> RelayMetrics.LinkRefusal.ADMIT_DEVICE_ID_TAKEN;
      case ACCOUNT_REPLACED -> RelayMetrics.LinkRefusal.ADMIT_ACCOUNT_REPLACED;
      default -> RelayMetrics.LinkRefusal.ADMIT_INVALID_REQUEST;
    };
  }

  private Future<JsonObject> account(AuthenticatedDevice caller, String number) {
    boolean own = caller.number().equals(number);
    return existingAccount(number).compose(account -> storage.devices(number).map(devices -> {
      Set<Long> listed = DeviceList.deviceIdsOf(account.deviceList());
      JsonArray out = new JsonArray();
      for (Device device : devices) {
        if (!listed.contains(device.deviceId())) {
          continue;
        }
        JsonObject entry = new JsonObject().put("deviceId", device.deviceId())
            .put("registrationId", device.registrationId())
            .put("identityKey", Fields.base64(device.identityKey()));
        if (own) {
          entry.put("name", device.name()).put("platform", device.platform())
              .put("createdAt", device.createdAt()).put("lastSeenAt", device.lastSeenAt());
        }
        out.add(entry);
      }
      JsonObject answer = new JsonObject().put("number", number).put("accountKey", Fields.base64(account.accountKey()))
          .put("deviceList", Fields.base64(account.deviceList()))
          .put("deviceListVersion", account.deviceListVersion()).put("devices", out);
      if (own) {
        // What the primary needs to certify a companion: the id the relay will accept, and the
        // operator's limit, so it can say "remove one first" before the user scans a code.
        answer.put("nextDeviceId", account.nextDeviceId()).put("maxCompanions", config.maxCompanions());
      }
      return answer;
    }));
  }

  private Future<JsonObject> replaceList(AuthenticatedDevice caller, JsonObject body) {
    if (!caller.isPrimary()) {
      throw new ApiException(ApiError.NOT_PRIMARY, "only the primary signs the device list");
    }
    byte[] bytes = Fields.bytes(body, "deviceList", 1, RelayLimits.MAX_DEVICE_LIST_BYTES);
    long expected = Fields.integer(body, "expectedVersion", 1, Long.MAX_VALUE);
    String number = caller.number();
    return existingAccount(number).compose(account -> {
      DeviceList list;
      try {
        list = DeviceList.verify(bytes, account.accountKey(), account.deviceList());
      } catch (ProtocolException e) {
        throw new ApiException(ApiError.INVALID_DEVICE_LIST, "the device list does not verify",
            new JsonObject().put("reason", e.error().name()));
      }
      return storage.devices(number).compose(devices -> {
        Map<Long, byte[]> registered = new HashMap<>();
        devices.forEach(d -> registered.put(d.deviceId(), d.identityKey()));
        for (DeviceList.Device listed : list.devices()) {
          // A listed device is the registered one only with the same identity: clients trust the
          // list's identities, senders encrypt to the registered device's keys.
          byte[] identity = registered.get(listed.id());
          if (identity == null || !Arrays.equals(identity, listed.identity().encode())) {
            throw new ApiException(ApiError.UNKNOWN_DEVICE_IN_LIST, "device " + listed.id()
                + " of the list is not a registered device with that identity");
          }
        }
        return storage.replaceDeviceList(number, account.accountKey(), expected, bytes, list.listVersion());
      }).map(v -> {
        connections.notifyAccount(number, DEVICES_CHANGED);
        return new JsonObject().put("deviceListVersion", list.listVersion());
      });
    }).recover(DeviceController::storageRefusal);
  }

  private Future<JsonObject> link(JsonObject body) {
    String number = Fields.number(body, "number");
    DeviceCert cert;
    try {
      cert = DeviceCert.parse(Fields.bytes(body, "cert", DeviceCert.LENGTH));
    } catch (ProtocolException e) {
      throw new ApiException(ApiError.INVALID_CERT, "the certificate is malformed");
    }
    int registrationId = (int) Fields.integer(body, "registrationId", 1, Integer.MAX_VALUE);
    String name = Fields.deviceName(body);
    String platform = Fields.text(body, "platform", RelayLimits.MAX_PLATFORM_CHARS);
    org.quintet.relay.storage.PreKeys keys = preKeys.read(body, cert.identity(), true);
    return storage.account(number).compose(found -> {
      // No token here: a number without an account gets the answer, and the work, of a certificate
      // that does not verify, so this route tells nobody which numbers are registered (not even
      // its metrics, which anyone may scrape on the relay's port).
      byte[] accountKey = found.map(Account::accountKey).orElse(NO_ACCOUNT_KEY);
      try {
        cert.verify(accountKey);
      } catch (ProtocolException e) {
        throw new ApiException(ApiError.INVALID_CERT, CERT_DOES_NOT_VERIFY);
      }
      if (found.isEmpty()) {
        throw new ApiException(ApiError.INVALID_CERT, CERT_DOES_NOT_VERIFY);
      }
      Account account = found.get();
      if (cert.deviceId() == Device.PRIMARY) {
        throw new ApiException(ApiError.INVALID_CERT, "a companion is never device 1");
      }
      long now = clock.millis();
      Device device = new Device(number, cert.deviceId(), cert.identity().encode(), registrationId, cert.encode(),
          name, platform, now, now);
      return storage.addCompanion(account.accountKey(), device, keys, config.maxCompanions(), now).map(v -> {
        LOG.info("linked device {} to {}", cert.deviceId(), number);
        connections.notifyAccount(number, new JsonObject().put("type", Event.DEVICE_LINKED)
            .put("deviceId", cert.deviceId()).put("cert", Fields.base64(cert.encode())));
        connections.notifyAccount(number, DEVICES_CHANGED);
        return new JsonObject().put("deviceId", cert.deviceId());
      });
    }).recover(DeviceController::storageRefusal);
  }

  /**
   * The name is what the account's device lists show; it is not in the signed list, so no
   * signature changes. It is the user's own words about their devices, so nothing logs it.
   */
  private Future<JsonObject> rename(AuthenticatedDevice caller, long deviceId, JsonObject body) {
    if (!caller.isPrimary() && caller.deviceId() != deviceId) {
      throw new ApiException(ApiError.NOT_ALLOWED, "a companion can rename only itself");
    }
    // Linking takes a missing name as none; a rename that names none is malformed, not a wish to clear it.
    if (body.getValue("name") == null) {
      throw ApiException.invalid("a rename needs \"name\", the device's new name");
    }
    String name = Fields.deviceName(body);
    String number = caller.number();
    return limiters.check(Limiter.DEVICE_RENAMES_PER_ACCOUNT.of(number))
        .compose(v -> storage.renameDevice(number, deviceId, name))
        .map(v -> {
          connections.notifyAccount(number, DEVICES_CHANGED);
          return new JsonObject().put("deviceId", deviceId).put("name", name);
        })
        .recover(DeviceController::storageRefusal);
  }

  private Future<JsonObject> remove(AuthenticatedDevice caller, long deviceId) {
    if (deviceId == Device.PRIMARY) {
      throw new ApiException(ApiError.CANNOT_REMOVE_PRIMARY,
          "the primary cannot be removed; register the number on a new primary instead");
    }
    if (!caller.isPrimary() && caller.deviceId() != deviceId) {
      throw new ApiException(ApiError.NOT_ALLOWED, "a companion can remove only itself");
    }
    String number = caller.number();
    return storage.removeDevice(number, deviceId).map(removed -> {
      if (!removed) {
        throw new ApiException(ApiError.UNKNOWN_DEVICE, "no such device");
      }
      LOG.info("removed device {} of {}", deviceId, number);
      connections.disconnect(number, deviceId, Close.DEVICE_REMOVED,
          caller.deviceId() == deviceId ? Reason.LOGGED_OUT : Reason.REMOVED);
      connections.notifyAccount(number, DEVICES_CHANGED);
      return new JsonObject();
    });
  }

  Future<Account> existingAccount(String number) {
    return storage.account(number).map(found -> found.orElseThrow(() ->
        new ApiException(ApiError.UNKNOWN_ACCOUNT, "no account has this number")));
  }


  /** A refusal of the storage as the API answers it; any other failure as it is. */
  public static <T> Future<T> storageRefusal(Throwable failure) {
    if (failure instanceof StorageException refusal) {
      return Future.failedFuture(switch (refusal.reason()) {
        case NO_ACCOUNT -> new ApiException(ApiError.UNKNOWN_ACCOUNT, "no account has this number");
        case NO_DEVICE -> new ApiException(ApiError.UNKNOWN_DEVICE, "no such device");
        case TOO_MANY_DEVICES -> new ApiException(ApiError.TOO_MANY_DEVICES,
            "the account already has its maximum number of linked devices");
        case DEVICE_ID_TAKEN -> new ApiException(ApiError.DEVICE_ID_TAKEN,
            "that device id is taken; the primary must issue a new certificate");
        case LIST_VERSION_CONFLICT -> new ApiException(ApiError.LIST_VERSION_CONFLICT,
            "the device list changed meanwhile; sign the current one again");
        case ACCOUNT_REPLACED -> new ApiException(ApiError.ACCOUNT_REPLACED,
            "the number was registered on a new primary meanwhile");
        case QUEUE_FULL -> QueueFullAnswer.of(refusal.fullQueues(), null);
        case OVER_QUOTA -> new ApiException(ApiError.OVER_QUOTA, "the account's attachments take all the room it has");
        case NO_BLOB -> new ApiException(ApiError.UNKNOWN_BLOB, "no such attachment (never uploaded, or expired)");
        case BLOB_OFFSET_CONFLICT -> new ApiException(ApiError.UPLOAD_OFFSET_CONFLICT,
            "the upload's offset moved: ask for it again (HEAD)");
      });
    }
    return Future.failedFuture(failure);
  }
}
