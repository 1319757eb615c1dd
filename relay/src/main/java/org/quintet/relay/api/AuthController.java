package org.quintet.relay.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.quintet.protocol.Crypto;
import org.quintet.protocol.IdentityKey;
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

  private Future<JsonObject> token(JsonObject body) {
    String number = Fields.number(body, "number");
    long deviceId = Fields.integer(body, "deviceId", 1, 0xFFFF_FFFFL);
    byte[] challenge = Fields.bytes(body, "challenge", Challenges.LENGTH);
    byte[] signature = Fields.bytes(body, "signature", Crypto.SIGNATURE_LENGTH);
    if (!challenges.isValid(challenge)) {
      throw new ApiException(ApiError.BAD_CHALLENGE, "the challenge expired or was not made here");
    }
    return storage.device(number, deviceId).map(found -> {
      if (found.isEmpty()) {
        throw new ApiException(ApiError.UNKNOWN_DEVICE_AT_LOGIN, "no such device");
      }
      IdentityKey identity;
      try {
        identity = IdentityKey.parse(found.get().identityKey());
      } catch (ProtocolException e) {
        throw new IllegalStateException("a stored identity key is malformed", e);
      }
      if (!identity.verify(Challenges.signedBytes(challenge, number, deviceId), signature)) {
        throw new ApiException(ApiError.BAD_SIGNATURE, "the signature does not verify with the device's identity");
      }
      String token = tokens.issue(new AuthenticatedDevice(number, deviceId, found.get().registrationId()));
      return new JsonObject().put("token", token).put("expiresInSeconds", tokens.ttl().toSeconds());
    });
  }
}
