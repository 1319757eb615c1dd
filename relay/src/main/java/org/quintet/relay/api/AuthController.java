package org.quintet.relay.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.quintet.protocol.Crypto;
import org.quintet.protocol.IdentityKey;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.ProtocolException;
import org.quintet.relay.RelayLimits;
import org.quintet.relay.auth.AuthenticatedDevice;
import org.quintet.relay.auth.Challenges;
import org.quintet.relay.auth.Tokens;
import org.quintet.relay.storage.RelayStorage;

/** Log-in without passwords: a device signs a fresh challenge with its identity key. */
public final class AuthController implements Controller {
  private final RelayStorage storage;
  private final Challenges challenges;
  private final Tokens tokens;

  public AuthController(RelayStorage storage, Challenges challenges, Tokens tokens) {
    this.storage = storage;
    this.challenges = challenges;
    this.tokens = tokens;
  }

  @Override
  public void mount(Router router) {
    router.get("/v1/auth/challenge").handler(Controller.handler(ctx -> Future.succeededFuture(new JsonObject()
        .put("challenge", Fields.base64(challenges.issue()))
        .put("expiresInSeconds", RelayLimits.CHALLENGE_LIFETIME.toSeconds()))));
    router.post("/v1/auth/token").handler(Controller.handler(ctx -> token(Fields.body(ctx))));
  }

  /**
   * What a signature is checked against when no such device exists: a real key (so the check costs
   * what a real one does) whose private half was never kept, so no signature verifies with it.
   */
  private static final byte[] NO_DEVICE_KEY = KeySource.secure().newEd25519().publicKey();

  private static IdentityKey identity(byte[] stored) {
    try {
      return IdentityKey.parse(stored);
    } catch (ProtocolException e) {
      throw new IllegalStateException("a stored identity key is malformed", e);
    }
  }

  private Future<JsonObject> token(JsonObject body) {
    String number = Fields.number(body, "number");
    long deviceId = Fields.integer(body, "deviceId", 1, 0xFFFF_FFFFL);
    byte[] challenge = Fields.bytes(body, "challenge", Challenges.LENGTH);
    byte[] signature = Fields.bytes(body, "signature", Crypto.SIGNATURE_LENGTH);
    if (!challenges.isValid(challenge)) {
      throw new ApiException(ApiError.BAD_CHALLENGE, "the challenge expired or was not made here");
    }
    return storage.device(number, deviceId).compose(found -> {
      // No token here: a device that does not exist and a signature that does not verify get the
      // same answer after the same work, so log-in tells nobody which numbers are registered. A
      // device's own signature always verifies, so to it this answer still means "removed".
      byte[] signKey = found.map(device -> identity(device.identityKey()).signKey()).orElse(NO_DEVICE_KEY);
      boolean verifies = Crypto.verify(signKey, Challenges.signedBytes(challenge, number, deviceId), signature);
      if (found.isEmpty() || !verifies) {
        throw new ApiException(ApiError.UNKNOWN_DEVICE_AT_LOGIN,
            "no device of this number and id has the key that made this signature");
      }
      // Once only, on whichever node: a signed challenge seen by someone else is worth nothing.
      return storage.useChallenge(challenge, Challenges.expiresAt(challenge)).map(first -> {
        if (!first) {
          throw new ApiException(ApiError.BAD_CHALLENGE, "this challenge was used already; ask for a new one");
        }
        String token = tokens.issue(new AuthenticatedDevice(number, deviceId, found.get().registrationId()));
        return new JsonObject().put("token", token).put("expiresInSeconds", tokens.ttl().toSeconds());
      });
    });
  }
}
