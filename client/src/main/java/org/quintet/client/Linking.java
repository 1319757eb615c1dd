package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.IdentityKey;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.OneTimePreKey;
import org.quintet.protocol.ProtocolError;
import org.quintet.protocol.ProtocolException;
import org.quintet.protocol.SignedPreKey;

/**
 * The steps of linking a companion that need the primary's signature, without the channel that
 * carries them (QR or code; docs/protocol.md section 7):
 * <ol>
 *   <li>the companion makes its identity ({@link #prepareCompanion});
 *   <li>the primary issues a certificate for it with the account's next device id ({@link #issue});
 *   <li>the companion checks and counter-signs it and registers with the relay ({@link #link});
 *   <li>the primary signs the counter-signed certificate into the account's device list
 *       ({@link #addToDeviceList}); only then do senders encrypt to the companion.
 * </ol>
 */
final class Linking {
  private final RelayApi api;
  private final RelayAuth relay;
  private final LocalStore store;
  private final StoreWriter writer;
  private final PreKeys preKeys;
  private final AccountDirectory directory;
  private final KeySource source;

  Linking(RelayApi api, RelayAuth relay, LocalStore store, StoreWriter writer, PreKeys preKeys,
      AccountDirectory directory, KeySource source) {
    this.api = api;
    this.relay = relay;
    this.store = store;
    this.writer = writer;
    this.preKeys = preKeys;
    this.directory = directory;
    this.source = source;
  }

  /** Companion: a new identity for a device that will join an account (kept until it links). */
  Future<IdentityKey> prepareCompanion() {
    if (store.status() == LocalStore.Status.LINKING && store.identity().isPresent()) {
      return Future.succeededFuture(store.identity().get().publicKey());
    }
    store.startOver(null, LocalStore.Status.LINKING);
    store.setRelayUrl(api.baseUrl());
    IdentityKeyPair identity = IdentityKeyPair.generate(source);
    store.setIdentity(identity, RegistrationIds.draw(source));
    return writer.save().map(saved -> identity.publicKey());
  }

  /** Primary: a certificate for the companion with the account's next device id. */
  DeviceCert issue(IdentityKey companion) throws ProtocolException {
    DeviceList current = ownList();
    long highest = current.devices().get(current.devices().size() - 1).id();
    long deviceId = Math.max(store.nextCompanionId(), highest + 1);
    return DeviceCert.issue(primaryIdentity(), deviceId, companion, System.currentTimeMillis());
  }

  /**
   * Companion: checks the primary's certificate, counter-signs it and registers with the relay;
   * answers the counter-signed certificate, which the primary signs into the list.
   */
  Future<DeviceCert> link(String number, DeviceCert issued, String name, String platform) {
    IdentityKeyPair identity = store.identity().orElse(null);
    if (store.status() != LocalStore.Status.LINKING || identity == null) {
      return Future.failedFuture(new IllegalStateException("this device has no companion identity to link"));
    }
    if (!issued.identity().equals(identity.publicKey()) || !issued.isAccountSigned()
        || issued.deviceId() == DeviceCert.PRIMARY_DEVICE_ID) {
      return Future.failedFuture(new ProtocolException(ProtocolError.UNTRUSTED_DEVICE,
          "the certificate is not the account's, or not for this device"));
    }
    DeviceCert cert = issued.counterSign(identity);
    SignedPreKey signedPreKey = preKeys.newSignedPreKey(identity);
    List<OneTimePreKey> oneTimePreKeys = preKeys.newOneTimePreKeys(PreKeys.BATCH);
    Base64.Encoder base64 = Base64.getEncoder();
    JsonObject request = new JsonObject()
        .put("number", number)
        .put("cert", base64.encodeToString(cert.encode()))
        .put("registrationId", store.registrationId())
        .put("signedPreKey", base64.encodeToString(signedPreKey.encode()))
        .put("oneTimePreKeys", PreKeys.encode(oneTimePreKeys))
        .put("name", name)
        .put("platform", platform);
    return writer.save()
        .compose(saved -> api.call(HttpMethod.POST, "/v1/devices/link", null, request))
        .compose(answer -> {
          // The account key comes from the certificate, which reached this device over the
          // linking channel: it, not the relay, is what this device trusts its account by.
          store.markRegistered(number, cert.deviceId(), cert.accountKey());
          return writer.save().map(saved -> cert);
        });
  }

  /** Primary: signs the counter-signed certificate into the next version of the device list. */
  Future<Long> addToDeviceList(DeviceCert cert) {
    DeviceList current;
    try {
      current = ownList();
      cert.verify(current.accountKey());
    } catch (ProtocolException e) {
      return Future.failedFuture(e);
    }
    if (current.devices().stream().anyMatch(d -> d.id() == cert.deviceId())) {
      return Future.failedFuture(new IllegalArgumentException("device " + cert.deviceId() + " is in the list already"));
    }
    List<DeviceCert> certs = new ArrayList<>(current.certs());
    certs.add(cert);
    certs.sort(Comparator.comparingLong(DeviceCert::deviceId));
    long version = current.listVersion() + 1;
    byte[] signed = DeviceList.sign(primaryIdentity(), version, System.currentTimeMillis(), certs);
    JsonObject request = new JsonObject()
        .put("deviceList", Base64.getEncoder().encodeToString(signed))
        .put("expectedVersion", current.listVersion());
    String number = store.number();
    return relay.call(HttpMethod.PUT, "/v1/devices/list", request).compose(answer -> {
      store.setNextCompanionId(cert.deviceId() + 1);
      KnownAccount known = store.account(number).orElseThrow();
      store.putAccount(number, new KnownAccount(known.accountKey(), signed, known.registrationIds()));
      return directory.refresh(number).map(account -> version);
    });
  }

  private IdentityKeyPair primaryIdentity() {
    if (!store.isPrimary()) {
      throw new NotRegisteredException("only the account's primary device signs companions in");
    }
    return store.identity().orElseThrow();
  }

  /** The primary's own list, as it last signed it. */
  private DeviceList ownList() throws ProtocolException {
    primaryIdentity();
    KnownAccount own = store.account(store.number()).orElseThrow();
    return DeviceList.verify(own.deviceList(), own.accountKey(), null);
  }
}
