package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import org.quintet.protocol.Delivery.Reason;

/**
 * A device leaving its account (docs/linking.md, "Lifecycle"): the primary removes a companion
 * (from the relay, then from the signed list), or a companion logs itself out and forgets
 * everything it held.
 */
final class Lifecycle {
  private final RelayAuth relay;
  private final LocalStore store;
  private final StoreWriter writer;
  private final AccountDirectory directory;
  private final DeviceListSigner signer;

  Lifecycle(RelayAuth relay, LocalStore store, StoreWriter writer, AccountDirectory directory,
      DeviceListSigner signer) {
    this.relay = relay;
    this.store = store;
    this.writer = writer;
    this.directory = directory;
    this.signer = signer;
  }

  /**
   * Primary: removes a companion; answers the version of the device list that no longer holds it.
   * A device the relay had already let go (it logged out, or was unlinked) is still taken out of
   * the list, so that no sender trusts its identity for the account again.
   */
  Future<Long> removeDevice(long deviceId) {
    if (deviceId == store.deviceId()) {
      throw new IllegalArgumentException(
          "the primary cannot remove itself; register the number on a new phone instead");
    }
    return relay.call(HttpMethod.DELETE, "/v1/devices/" + deviceId, null)
        .recover(error -> {
          if (error instanceof RelayException refused && refused.is(404, "UNKNOWN_DEVICE")) {
            return directory.known(store.number()).compose(account -> account.identity(deviceId).isPresent()
                ? Future.succeededFuture() : Future.failedFuture(error));
          }
          return Future.failedFuture(error);
        })
        .compose(removed -> signer.remove(deviceId))
        .map(account -> account.account().list().listVersion());
  }

  /**
   * Companion: asks the relay to remove this device, then wipes the home. A device the relay had
   * already let go is wiped all the same.
   */
  Future<Void> logout() {
    Future<Void> removed = store.status() == LocalStore.Status.LOGGED_OUT ? Future.succeededFuture()
        : relay.call(HttpMethod.DELETE, "/v1/devices/" + store.deviceId(), null)
            .<Void>mapEmpty()
            .recover(error -> error instanceof NotRegisteredException
                ? Future.succeededFuture() : Future.failedFuture(error));
    return removed.compose(v -> {
      // A device the relay had logged out keeps the reason it gave.
      store.wipe(store.status() == LocalStore.Status.LOGGED_OUT ? store.statusReason() : Reason.LOGGED_OUT);
      return writer.save();
    });
  }
}
