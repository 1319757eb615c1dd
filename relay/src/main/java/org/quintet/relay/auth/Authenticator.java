package org.quintet.relay.auth;

import io.vertx.core.Future;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.quintet.relay.RelayLimits;
import org.quintet.relay.api.ApiError;
import org.quintet.relay.api.ApiException;
import org.quintet.relay.storage.RelayStorage;
import org.quintet.relay.storage.StorageException;

/**
 * Turns a bearer token into a device, checking the registry every time so that a removed or
 * replaced device is locked out at once, whatever its token says.
 */
public final class Authenticator {
  private final Tokens tokens;
  private final RelayStorage storage;
  private final Clock clock;
  private final Map<String, Long> lastTouched = new ConcurrentHashMap<>();

  public Authenticator(Tokens tokens, RelayStorage storage, Clock clock) {
    this.tokens = tokens;
    this.storage = storage;
    this.clock = clock;
  }

  public Future<AuthenticatedDevice> authenticate(String token) {
    if (token == null || token.isEmpty()) {
      return Future.failedFuture(new ApiException(ApiError.UNAUTHORIZED, "this needs a bearer token"));
    }
    AuthenticatedDevice claimed;
    try {
      claimed = tokens.verify(token);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    return storage.device(claimed.number(), claimed.deviceId()).compose(device -> {
      if (device.isEmpty() || device.get().registrationId() != claimed.registrationId()) {
        return Future.failedFuture(new ApiException(ApiError.DEVICE_GONE,
            "this device was removed from its account, or the number was registered again"));
      }
      long now = clock.millis();
      String key = claimed.number() + "/" + claimed.deviceId();
      Long last = lastTouched.get(key);
      if (last != null && now - last < RelayLimits.LAST_SEEN_STEP.toMillis()) {
        return Future.succeededFuture(claimed);
      }
      lastTouched.put(key, now);
      return storage.touchDevice(claimed.number(), claimed.deviceId(), now).map(claimed)
          .recover(failure -> Future.failedFuture(failure instanceof StorageException
              ? new ApiException(ApiError.DEVICE_GONE, "this device was removed from its account")
              : failure));
    });
  }
}
