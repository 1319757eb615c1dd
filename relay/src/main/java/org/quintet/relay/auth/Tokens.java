package org.quintet.relay.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.Crypto;
import org.quintet.relay.api.ApiError;
import org.quintet.relay.api.ApiException;

/**
 * Short-lived access tokens: JWTs signed with HMAC-SHA256 under a key derived from the relay's
 * key, so every node of a cluster that shares the key accepts them.
 */
public final class Tokens {
  private static final String DEVICE = "dev";
  private static final String REGISTRATION = "reg";
  private final MACSigner signer;
  private final MACVerifier verifier;
  private final Clock clock;
  private final Duration ttl;

  public Tokens(byte[] relayKey, Clock clock, Duration ttl) {
    byte[] key = Crypto.hmac(relayKey, Bytes.ascii("tokens"));
    try {
      this.signer = new MACSigner(key);
      this.verifier = new MACVerifier(key);
    } catch (JOSEException e) {
      throw new IllegalStateException("the token key is unusable", e);
    }
    this.clock = clock;
    this.ttl = ttl;
  }

  public Duration ttl() {
    return ttl;
  }

  public String issue(AuthenticatedDevice device) {
    long now = clock.millis();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .subject(device.number())
        .claim(DEVICE, device.deviceId())
        .claim(REGISTRATION, device.registrationId())
        .issueTime(new Date(now))
        .expirationTime(new Date(now + ttl.toMillis()))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("signing a token failed", e);
    }
    return jwt.serialize();
  }

  /** The device a token names; it still has to be checked against the registry. */
  public AuthenticatedDevice verify(String token) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
        throw unauthorized();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date expires = claims.getExpirationTime();
      if (expires == null || expires.getTime() <= clock.millis()) {
        throw new ApiException(ApiError.TOKEN_EXPIRED, "the token expired; log in again");
      }
      Object device = claims.getClaim(DEVICE);
      Object registration = claims.getClaim(REGISTRATION);
      if (claims.getSubject() == null || !(device instanceof Number) || !(registration instanceof Number)) {
        throw unauthorized();
      }
      return new AuthenticatedDevice(claims.getSubject(), ((Number) device).longValue(),
          ((Number) registration).intValue());
    } catch (ParseException | JOSEException e) {
      throw unauthorized();
    }
  }

  private static ApiException unauthorized() {
    return new ApiException(ApiError.UNAUTHORIZED, "the token is not valid");
  }
}
