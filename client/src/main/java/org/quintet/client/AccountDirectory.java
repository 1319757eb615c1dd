package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.IdentityKey;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;

/**
 * The accounts this device talks to, as their signed device lists say: fetched from the relay,
 * verified (with the account key and the last list accepted), remembered in the store.
 */
final class AccountDirectory {
  private final RelayAuth relay;
  private final LocalStore store;
  private final StoreWriter writer;

  AccountDirectory(RelayAuth relay, LocalStore store, StoreWriter writer) {
    this.relay = relay;
    this.store = store;
    this.writer = writer;
  }

  /** The account as last accepted, or fetched when this device has never seen it. */
  Future<TrustedAccount> known(String number) {
    Optional<KnownAccount> known = store.account(number);
    if (known.isEmpty()) {
      return refresh(number);
    }
    try {
      DeviceList list = DeviceList.verify(known.get().deviceList(), known.get().accountKey(), null);
      return Future.succeededFuture(new TrustedAccount(number, list, known.get().registrationIds()));
    } catch (ProtocolException e) {
      return Future.failedFuture(new UncheckedIOException(
          new IOException("the stored device list of " + number + " is damaged (" + e.error() + ")")));
    }
  }

  /** Fetches the account's current list and devices, verifies and remembers them. */
  Future<TrustedAccount> refresh(String number) {
    return fetch(number).map(Fetched::account);
  }

  /** An account as fetched: what this device now trusts, and the relay's whole answer (names, times). */
  record Fetched(TrustedAccount account, JsonObject answer) {}

  /** {@link #refresh}, keeping the relay's answer for what the signed list does not hold. */
  Future<Fetched> fetch(String number) {
    return relay.call(HttpMethod.GET, "/v1/accounts/" + RelayApi.segment(number), null).compose(answer -> Futures.of(() -> {
      DeviceList list = verifyList(number, answer);
      Map<Long, Integer> registrationIds =
          DeviceListVerifier.verifyDevices(number, list, answer.getJsonArray("devices", new JsonArray()));
      store.putAccount(number, new KnownAccount(list.accountKey(), list.encode(), registrationIds));
      TrustedAccount account = new TrustedAccount(number, list, registrationIds);
      return writer.save().map(saved -> new Fetched(account, answer));
    }));
  }

  /**
   * One device's prekey bundle, checked against the account's signed list (which the answer
   * carries too, and which must be the one accepted or a newer one).
   */
  Future<TrustedBundle> bundle(String number, long deviceId) {
    String path = "/v1/keys/" + RelayApi.segment(number) + "/" + deviceId;
    return relay.call(HttpMethod.GET, path, null).compose(answer -> Futures.value(() -> {
      Optional<KnownAccount> known = store.account(number);
      DeviceList list = verifyList(number, answer);
      Map<Long, TrustedBundle> bundles =
          DeviceListVerifier.verifyBundles(number, list, answer.getJsonArray("devices", new JsonArray()));
      TrustedBundle bundle = bundles.get(deviceId);
      if (bundle == null) {
        throw new ProtocolException(ProtocolError.UNTRUSTED_DEVICE,
            "the relay gave no bundle for device " + deviceId + " of " + number);
      }
      Map<Long, Integer> registrationIds = new HashMap<>(known.map(KnownAccount::registrationIds).orElse(Map.of()));
      registrationIds.put(deviceId, bundle.registrationId());
      // The answer's list may be newer than the one accepted: forget devices it no longer holds.
      registrationIds.keySet().removeIf(id -> list.devices().stream().noneMatch(d -> d.id() == id));
      store.putAccount(number, new KnownAccount(list.accountKey(), list.encode(), registrationIds));
      return bundle;
    }));
  }

  /**
   * Verifies an answer's list with what this device accepted before. For its own account a
   * companion that has not accepted a list yet expects the account key its certificate named.
   */
  private DeviceList verifyList(String number, JsonObject answer) throws ProtocolException {
    Optional<KnownAccount> known = store.account(number);
    byte[] ownAccountKey = number.equals(store.number()) ? store.accountKey() : null;
    return DeviceListVerifier.verifyList(number, answer,
        known.map(KnownAccount::accountKey).orElse(ownAccountKey), known.map(KnownAccount::deviceList).orElse(null));
  }

  /**
   * Checks that the account's signed list gives {@code identity} to the device, refreshing the
   * list once when it does not (a newly linked device, or a list this device has not seen).
   */
  Future<Void> requireIdentity(String number, long deviceId, IdentityKey identity) {
    return known(number).compose(account -> {
      if (account.identity(deviceId).filter(identity::equals).isPresent()) {
        return Future.succeededFuture();
      }
      return refresh(number).compose(fresh -> {
        if (fresh.identity(deviceId).filter(identity::equals).isPresent()) {
          return Future.<Void>succeededFuture();
        }
        return Future.failedFuture(new ProtocolException(ProtocolError.UNTRUSTED_DEVICE, "device " + deviceId + " of "
            + number + " has an identity that the account's signed device list does not give it"));
      });
    });
  }
}
