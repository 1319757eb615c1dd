package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.OneTimePreKey;
import org.quintet.protocol.SignedPreKey;

/**
 * Makes this device's prekeys (keeping the private halves in the store) and tops up the relay's
 * supply of one-time prekeys. Private halves are saved before the public halves are uploaded,
 * so the relay never hands out a prekey this device cannot use.
 */
final class PreKeys {
  /** One-time prekeys per upload: the relay's limit per request. */
  static final int BATCH = 100;
  /**
   * Below this many one-time prekeys on the relay a device uploads more when it connects. The
   * relay's own warning ({@code prekeys-low}) reaches only a connected device.
   */
  static final int LOW = 20;
  private final LocalStore store;
  private final KeySource source;
  /** The upload under way, if any: warnings that come meanwhile do not start another. */
  private Future<Integer> upload;

  PreKeys(LocalStore store, KeySource source) {
    this.store = store;
    this.source = source;
  }

  SignedPreKey newSignedPreKey(IdentityKeyPair identity) {
    SignedPreKey.Pair pair = SignedPreKey.generate(source, identity, store.nextSignedPreKeyId());
    store.addSignedPreKey(pair.record().id(), pair.keyPair());
    return pair.record();
  }

  List<OneTimePreKey> newOneTimePreKeys(int count) {
    List<OneTimePreKey> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      OneTimePreKey.Pair pair = OneTimePreKey.generate(source, store.nextOneTimePreKeyId());
      store.addOneTimePreKey(pair.record().id(), pair.keyPair());
      records.add(pair.record());
    }
    return records;
  }

  /** Uploads a new batch of one-time prekeys (unless one is on its way); answers the relay's count after it. */
  Future<Integer> topUp(RelayAuth relay, StoreWriter writer) {
    if (upload != null) {
      return upload;
    }
    List<OneTimePreKey> batch = newOneTimePreKeys(BATCH);
    Future<Integer> started = writer.save()
        .compose(saved -> relay.call(HttpMethod.PUT, "/v1/keys", new JsonObject().put("oneTimePreKeys", encode(batch))))
        .map(answer -> answer.getInteger("oneTimePreKeys", 0));
    upload = started;
    return started.onComplete(done -> upload = null);
  }

  /** Asks the relay how many one-time prekeys it holds for this device, and tops up when they run low. */
  Future<Integer> topUpIfLow(RelayAuth relay, StoreWriter writer) {
    return relay.call(HttpMethod.GET, "/v1/keys/count", null).compose(answer -> {
      int count = answer.getInteger("oneTimePreKeys", 0);
      return count < LOW ? topUp(relay, writer) : Future.succeededFuture(count);
    });
  }

  static JsonArray encode(List<OneTimePreKey> keys) {
    JsonArray array = new JsonArray();
    keys.forEach(key -> array.add(Base64.getEncoder().encodeToString(key.encode())));
    return array;
  }
}
