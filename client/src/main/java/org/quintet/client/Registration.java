package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.quintet.protocol.DeviceCert;
import org.quintet.protocol.DeviceList;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.OneTimePreKey;
import org.quintet.protocol.SignedPreKey;

/**
 * Registering a number makes this device the account's primary (device 1): a code by SMS, then a
 * new identity, prekeys, a self-signed certificate and the device list version 1.
 */
final class Registration {
  private final RelayApi api;
  private final LocalStore store;
  private final StoreWriter writer;
  private final PreKeys preKeys;
  private final KeySource source;

  Registration(RelayApi api, LocalStore store, StoreWriter writer, PreKeys preKeys, KeySource source) {
    this.api = api;
    this.store = store;
    this.writer = writer;
    this.preKeys = preKeys;
    this.source = source;
  }

  /** Asks the relay to send a code to the number; answers how long it is valid and where it went. */
  Future<CodeRequested> requestCode(String number) {
    return api.call(HttpMethod.POST, "/v1/registration/code", null, new JsonObject().put("number", number))
        .compose(answer -> {
          store.startOver(number, LocalStore.Status.CODE_REQUESTED);
          store.setRelayUrl(api.baseUrl());
          return writer.save().map(saved -> new CodeRequested(answer.getInteger("expiresInSeconds", 0),
              answer.getValue("sentBy") instanceof String sentBy ? sentBy : null));
        });
  }

  Future<Void> verify(String code, String name, String platform) {
    String number = store.number();
    if (store.status() != LocalStore.Status.CODE_REQUESTED || number == null) {
      return Future.failedFuture(new NotRegisteredException("no code was requested here; run register NUMBER first"));
    }
    // A new identity per attempt: keys of an attempt the relay refused were never published.
    store.startOver(number, LocalStore.Status.CODE_REQUESTED);
    IdentityKeyPair identity = IdentityKeyPair.generate(source);
    int registrationId = RegistrationIds.draw(source);
    store.setIdentity(identity, registrationId);
    SignedPreKey signedPreKey = preKeys.newSignedPreKey(identity);
    List<OneTimePreKey> oneTimePreKeys = preKeys.newOneTimePreKeys(PreKeys.BATCH);
    long now = System.currentTimeMillis();
    DeviceCert cert = DeviceCert.issue(identity, DeviceCert.PRIMARY_DEVICE_ID, identity.publicKey(), now)
        .counterSign(identity);
    byte[] deviceList = DeviceList.sign(identity, 1, now, List.of(cert));
    Base64.Encoder base64 = Base64.getEncoder();
    JsonObject request = new JsonObject()
        .put("number", number)
        .put("code", code)
        .put("registrationId", registrationId)
        .put("identityKey", base64.encodeToString(identity.publicKey().encode()))
        .put("signedPreKey", base64.encodeToString(signedPreKey.encode()))
        .put("oneTimePreKeys", PreKeys.encode(oneTimePreKeys))
        .put("deviceList", base64.encodeToString(deviceList))
        .put("name", name)
        .put("platform", platform);
    // The keys are saved before the relay sees them: it must never hold a key this device lost.
    return writer.save()
        .compose(saved -> api.call(HttpMethod.POST, "/v1/registration/verify", null, request))
        .compose(answer -> {
          byte[] accountKey = identity.signing().publicKey();
          store.markRegistered(number, DeviceCert.PRIMARY_DEVICE_ID, accountKey);
          store.putAccount(number, new KnownAccount(accountKey, deviceList,
              Map.of(DeviceCert.PRIMARY_DEVICE_ID, registrationId)));
          return writer.save();
        });
  }
}
