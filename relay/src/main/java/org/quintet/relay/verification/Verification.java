package org.quintet.relay.verification;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;
import org.quintet.protocol.Bytes;
import org.quintet.protocol.Crypto;
import org.quintet.relay.RelayConfig;
import org.quintet.relay.api.ApiError;
import org.quintet.relay.api.ApiException;
import org.quintet.relay.metrics.RelayMetrics;
import org.quintet.relay.storage.PendingVerification;
import org.quintet.relay.storage.RelayStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registration codes: six random digits, stored only as a salted hash, a few wrong attempts per
 * code, and an expiry. How many codes and guesses a number, a client or the relay gets is for the
 * rate limiters ({@link org.quintet.relay.limits.Limiter}).
 */
public final class Verification {
  private static final Logger LOG = LoggerFactory.getLogger(Verification.class);
  private final RelayStorage storage;
  private final CodeSender sender;
  private final RelayConfig config;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final RelayMetrics metrics;

  /** Where this relay's codes go ({@link CodeSender#channel}). */
  public String channel() {
    return sender.channel();
  }

  public Verification(RelayStorage storage, CodeSender sender, RelayConfig config, Clock clock, RelayMetrics metrics) {
    this.storage = storage;
    this.sender = sender;
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Sends a new code, which replaces any pending one and starts a clean count of wrong attempts:
   * otherwise someone else's wrong guesses would lock the number's owner out for as long as they
   * kept guessing. How often a number gets a code, and how many guesses it gets over all its codes,
   * are the rate limiters' ({@code verificationCodesPerNumber}, {@code verificationAttemptsPerNumber}),
   * checked before this is called.
   */
  public Future<Void> requestCode(String number) {
    long now = clock.millis();
    return storage.pendingVerification(number).compose(existing -> {
      String code = String.format("%06d", random.nextInt(1_000_000));
      byte[] salt = new byte[16];
      random.nextBytes(salt);
      PendingVerification pending = new PendingVerification(number, hash(salt, code), salt,
          now + config.codeTtl().toMillis(), 0, now);
      Optional<PendingVerification> earlier = existing.filter(e -> e.expiresAt() > now);
      // Stored first: while the sender works, a second request for the number waits its turn.
      return storage.putPendingVerification(pending).compose(v -> sender.send(number, code)
          .andThen(sent -> metrics.codeSent(sender.channel(), sent.succeeded()))
          .recover(failure -> {
            LOG.warn("the verification sender ({}) failed: {}", sender.channel(), failure.getMessage());
            return withdraw(pending, earlier).transform(withdrawn -> {
              if (withdrawn.failed()) {
                LOG.warn("a code that was not sent stays pending: {}", withdrawn.cause().toString());
              }
              return Future.failedFuture(new ApiException(ApiError.VERIFICATION_UNAVAILABLE,
                  "the relay could not send a code just now; nothing was counted, so ask again"));
            });
          }));
    });
  }

  /**
   * Takes back a code its sender failed to deliver, so that it counts for nothing: the request
   * that was pending before it is pending again (with any wrong attempts made meanwhile), or none
   * is. A newer code that replaced it meanwhile is left alone.
   */
  private Future<Void> withdraw(PendingVerification unsent, Optional<PendingVerification> earlier) {
    String number = unsent.number();
    return storage.pendingVerification(number).compose(current -> {
      if (current.isEmpty() || !MessageDigest.isEqual(current.get().salt(), unsent.salt())) {
        return Future.succeededFuture();
      }
      if (earlier.isEmpty()) {
        return storage.clearPendingVerification(number);
      }
      PendingVerification before = earlier.get();
      return storage.putPendingVerification(new PendingVerification(number, before.codeHash(), before.salt(),
          before.expiresAt(), Math.max(before.failedAttempts(), current.get().failedAttempts()), before.lastSentAt()));
    });
  }

  /** Succeeds, and forgets the request, only for the right code within its limits. */
  public Future<Void> check(String number, String code) {
    return checkNow(number, code).andThen(checked -> metrics.verified(outcome(checked.cause())));
  }

  private static RelayMetrics.VerificationOutcome outcome(Throwable failure) {
    if (failure == null) {
      return RelayMetrics.VerificationOutcome.VERIFIED;
    }
    if (!(failure instanceof ApiException refusal)) {
      return RelayMetrics.VerificationOutcome.FAILED;
    }
    return switch (refusal.error()) {
      case WRONG_CODE -> RelayMetrics.VerificationOutcome.WRONG_CODE;
      case NO_PENDING_CODE -> RelayMetrics.VerificationOutcome.NO_PENDING_CODE;
      case TOO_MANY_ATTEMPTS -> RelayMetrics.VerificationOutcome.TOO_MANY_ATTEMPTS;
      default -> RelayMetrics.VerificationOutcome.FAILED;
    };
  }

  private Future<Void> checkNow(String number, String code) {
    long now = clock.millis();
    return storage.pendingVerification(number).compose(found -> {
      if (found.isEmpty() || found.get().expiresAt() <= now) {
        throw noPendingCode();
      }
      PendingVerification pending = found.get();
      if (pending.failedAttempts() >= config.maxCodeAttempts()) {
        throw tooManyAttempts();
      }
      // Every attempt is counted before the code is compared: the storage orders the counts, so
      // concurrent guesses cannot all read the same count and together try more codes than allowed.
      return storage.failVerification(number).compose(attempts -> {
        if (attempts == 0) {
          throw noPendingCode();
        }
        if (attempts > config.maxCodeAttempts()) {
          throw tooManyAttempts();
        }
        if (!MessageDigest.isEqual(pending.codeHash(), hash(pending.salt(), code))) {
          throw new ApiException(ApiError.WRONG_CODE, "the code is not right",
              new JsonObject().put("attemptsLeft", config.maxCodeAttempts() - attempts));
        }
        return storage.clearPendingVerification(number);
      });
    });
  }

  private static ApiException noPendingCode() {
    return new ApiException(ApiError.NO_PENDING_CODE, "no code is pending for this number; request one");
  }

  private static ApiException tooManyAttempts() {
    return new ApiException(ApiError.TOO_MANY_ATTEMPTS, "too many wrong codes; request a new code");
  }

  private static byte[] hash(byte[] salt, String code) {
    return Crypto.sha256(Bytes.concat(salt, Bytes.ascii(code)));
  }
}
