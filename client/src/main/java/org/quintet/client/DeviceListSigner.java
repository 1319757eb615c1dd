package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.IdentityKeyPair;

/**
 * The primary's changes to its account's signed device list (docs/protocol.md 6.2): each starts
 * from the list as the relay holds it now, verified, without the devices the relay no longer
 * has (a companion that logged out or was unlinked for inactivity: the relay accepts a list only
 * of registered devices), applies the change, signs the next version and uploads it.
 */
final class DeviceListSigner {
  /** Uploads retried after another change of the list came first. */
  private static final int MAX_RETRIES = 3;
  private final RelayAuth relay;
  private final LocalStore store;
  private final AccountDirectory directory;

  DeviceListSigner(RelayAuth relay, LocalStore store, AccountDirectory directory) {
    this.relay = relay;
    this.store = store;
    this.directory = directory;
  }

  /** Signs the counter-signed certificate into the list; answers the account as it now is. */
  Future<AccountDirectory.Fetched> add(DeviceCert cert) {
    return change(certs -> {
      if (certs.stream().anyMatch(c -> c.deviceId() == cert.deviceId())) {
        throw new IllegalArgumentException("device " + cert.deviceId() + " is in the list already");
      }
      // The relay admitted the device under this id, so no later companion may get it (saved
      // with the account fetched after the upload).
      store.setNextCompanionId(cert.deviceId() + 1);
      List<DeviceCert> changed = new ArrayList<>(certs);
      changed.add(cert);
      changed.sort(Comparator.comparingLong(DeviceCert::deviceId));
      return changed;
    }, 0);
  }

  /** Signs a list without the device; answers the account as it now is. */
  Future<AccountDirectory.Fetched> remove(long deviceId) {
    return change(certs -> certs.stream().filter(c -> c.deviceId() != deviceId).toList(), 0);
  }

  private Future<AccountDirectory.Fetched> change(UnaryOperator<List<DeviceCert>> edit, int retry) {
    IdentityKeyPair account = store.identity().orElseThrow();
    String number = store.number();
    return directory.fetch(number).compose(fetched -> Futures.of(() -> {
      DeviceList current = fetched.account().list();
      List<DeviceCert> registered = current.certs().stream()
          .filter(c -> fetched.account().deviceIds().contains(c.deviceId())).toList();
      List<DeviceCert> changed = edit.apply(registered);
      if (ids(changed).equals(ids(current.certs()))) {
        return Future.succeededFuture(fetched);
      }
      long version = current.listVersion() + 1;
      byte[] signed = DeviceList.sign(account, version, System.currentTimeMillis(), changed);
      JsonObject request = new JsonObject()
          .put("deviceList", Base64.getEncoder().encodeToString(signed))
          .put("expectedVersion", current.listVersion());
      return relay.call(HttpMethod.PUT, "/v1/devices/list", request).compose(answer -> directory.fetch(number));
    })).recover(error -> {
      if (error instanceof RelayException refused && refused.is(409, "LIST_VERSION_CONFLICT") && retry < MAX_RETRIES) {
        return change(edit, retry + 1);
      }
      return Future.failedFuture(error);
    });
  }

  private static List<Long> ids(List<DeviceCert> certs) {
    return certs.stream().map(DeviceCert::deviceId).toList();
  }
}
