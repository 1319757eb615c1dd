package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Base64;
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
 * The steps of linking a companion that need a signature, whichever channel carries them (QR or
 * code, docs/linking.md):
 * <ol>
 *   <li>the companion makes its identity ({@link #prepareCompanion});
 *   <li>the primary issues a certificate for it with the account's next device id ({@link #issue});
 *   <li>the companion checks and counter-signs it ({@link #accept}) and registers with the relay
 *       ({@link #register});
 *   <li>the primary checks that what comes back is what it issued, now counter-signed
 *       ({@link #requireCounterSigned}), and signs it into the device list; only then do senders
 *       encrypt to the companion.
 * </ol>
 */
final class Linking {
  private final RelayApi api;
  private final LocalStore store;
  private final StoreWriter writer;
  private final PreKeys preKeys;
  private final AccountDirectory directory;
  private final KeySource source;

  Linking(RelayApi api, LocalStore store, StoreWriter writer, PreKeys preKeys, AccountDirectory directory,
      KeySource source) {
    this.api = api;
    this.store = store;
    this.writer = writer;
    this.preKeys = preKeys;
    this.directory = directory;
    this.source = source;
  }

  /** Companion: a new identity for a device that will join an account (kept until it links). */
  Future<IdentityKey> prepareCompanion() {
    if (store.status() == LocalStore.Status.REGISTERED) {
      throw new IllegalStateException("this home is " + (store.isPrimary() ? "the primary" : "a linked device")
          + " of " + store.number() + " already; link with another home");
    }
    if (store.status() == LocalStore.Status.LINKING && store.identity().isPresent()) {
      return Future.succeededFuture(store.identity().get().publicKey());
    }
    store.startOver(null, LocalStore.Status.LINKING);
    store.setRelayUrl(api.baseUrl());
    IdentityKeyPair identity = IdentityKeyPair.generate(source);
    store.setIdentity(identity, RegistrationIds.draw(source));
    return writer.save().map(saved -> identity.publicKey());
  }

  /**
   * Primary: the device id the next companion gets. The relay names it (an id is never used twice
   * for a number, not even across registrations), and refuses a companion beyond its limit, which
   * is checked here first so that the user hears it before anything is shown or scanned.
   */
  Future<Long> nextDeviceId() {
    return directory.fetch(store.number()).compose(fetched -> Futures.value(() -> {
      JsonObject answer = fetched.answer();
      int companions = fetched.account().deviceIds().size() - 1;
      int allowed = answer.getInteger("maxCompanions", Integer.MAX_VALUE);
      if (companions >= allowed) {
        throw new LinkingException(LinkingException.Reason.TOO_MANY_DEVICES, "this account has " + companions
            + (companions == 1 ? " linked device" : " linked devices") + ", as many as the relay allows; remove one first");
      }
      List<DeviceList.Device> listed = fetched.account().list().devices();
      long afterListed = listed.get(listed.size() - 1).id() + 1;
      // The highest of the three: a relay that names a used id does not make this primary re-use it.
      return Math.max(answer.getLong("nextDeviceId", 0L), Math.max(store.nextCompanionId(), afterListed));
    }));
  }

  /** Primary: the account's half of a companion's certificate. */
  DeviceCert issue(IdentityKey companion, long deviceId) {
    return DeviceCert.issue(primaryIdentity(), deviceId, companion, System.currentTimeMillis());
  }

  /**
   * Companion: checks the certificate the primary sent (the account's signature, this device's
   * identity, a companion's id) and counter-signs it.
   */
  DeviceCert accept(LinkPayloads.Provisioning payload) throws ProtocolException {
    IdentityKeyPair identity = store.identity().orElse(null);
    if (store.status() != LocalStore.Status.LINKING || identity == null) {
      throw new IllegalStateException("this device has no companion identity to link");
    }
    DeviceCert issued = payload.cert();
    if (!Arrays.equals(issued.accountKey(), payload.accountKey()) || issued.deviceId() != payload.deviceId()
        || !issued.identity().equals(identity.publicKey()) || !issued.isAccountSigned()
        || issued.deviceId() == DeviceCert.PRIMARY_DEVICE_ID) {
      throw new ProtocolException(ProtocolError.UNTRUSTED_DEVICE,
          "the certificate is not the account's, or not for this device");
    }
    return issued.counterSign(identity);
  }

  /**
   * Companion: registers with the relay under its counter-signed certificate, with its first
   * prekeys, and remembers the account it joined.
   */
  Future<LinkedAccount> register(String number, DeviceCert cert, String name, String platform) {
    SignedPreKey signedPreKey = preKeys.newSignedPreKey(store.identity().orElseThrow());
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
    // The private halves are saved before the relay sees the public ones.
    return writer.save()
        .compose(saved -> api.call(HttpMethod.POST, "/v1/devices/link", null, request))
        .compose(answer -> {
          // The account key comes from the certificate, which reached this device over the
          // linking channel: it, not the relay, is what this device trusts its account by.
          store.markRegistered(number, cert.deviceId(), cert.accountKey());
          return writer.save().map(saved -> new LinkedAccount(number, cert.deviceId()));
        });
  }

  /**
   * Primary: {@code returned} must be exactly the certificate it issued, counter-signed by the
   * identity it names; anything else is refused and nothing is signed.
   */
  void requireCounterSigned(DeviceCert issued, DeviceCert returned) throws ProtocolException {
    int accountHalf = DeviceCert.BODY_LENGTH + 64;
    if (!Arrays.equals(Arrays.copyOf(issued.encode(), accountHalf), Arrays.copyOf(returned.encode(), accountHalf))) {
      throw new ProtocolException(ProtocolError.UNTRUSTED_DEVICE,
          "device " + returned.deviceId() + " came back with another certificate than the one issued");
    }
    returned.verify(issued.accountKey());
  }

  /** The caller checked that this device is the primary. */
  private IdentityKeyPair primaryIdentity() {
    return store.identity().orElseThrow();
  }
}
