package org.quintet.relay.auth;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.Crypto;
import org.quintet.relay.RelayLimits;

/**
 * Login challenges: {@code expiresAt:u64 || random[16] || tag[16]}, where the tag is an HMAC under
 * the relay's key. Any node can check that it made one and that it has not expired without shared
 * state; that it is used once is the storage's to say ({@code RelayStorage.useChallenge}).
 */
public final class Challenges {
  public static final int LENGTH = 40;
  private final byte[] key;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public Challenges(byte[] relayKey, Clock clock) {
    this.key = Crypto.hmac(relayKey, Bytes.ascii("challenges"));
    this.clock = clock;
  }

  public byte[] issue() {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    byte[] head = Bytes.concat(Bytes.u64(clock.millis() + RelayLimits.CHALLENGE_LIFETIME.toMillis()), nonce);
    return Bytes.concat(head, tag(head));
  }

  public boolean isValid(byte[] challenge) {
    if (challenge.length != LENGTH) {
      return false;
    }
    byte[] head = Bytes.slice(challenge, 0, 24);
    return MessageDigest.isEqual(tag(head), Bytes.slice(challenge, 24, LENGTH))
        && Bytes.readU64(challenge, 0) > clock.millis();
  }

  /** When a challenge this relay made stops being valid (ms since the epoch). */
  public static long expiresAt(byte[] challenge) {
    return Bytes.readU64(challenge, 0);
  }

  /** What a device signs to log in (docs/relay-api.md). */
  public static byte[] signedBytes(byte[] challenge, String number, long deviceId) {
    return Bytes.concat(Bytes.context("relay auth"), challenge, Bytes.ascii(number), Bytes.u32(deviceId));
  }

  private byte[] tag(byte[] head) {
    return Bytes.slice(Crypto.hmac(key, head), 0, 16);
  }
}
