package org.quintet.relay.limits;

import java.time.Duration;

/**
 * One rate limiter's setting: a token bucket of {@code bucketSize} tokens, refilled evenly so that
 * an empty bucket is full again after {@code refill} ({@code bucketSize / refill} requests per
 * unit of time in the long run, {@code bucketSize} at once).
 */
public record RateLimit(int bucketSize, Duration refill) {

  public RateLimit {
    if (bucketSize < 1 || refill.isNegative() || refill.isZero()) {
      throw new IllegalArgumentException("a rate limit needs a bucket of at least 1 and a refill time");
    }
  }

  /** How long one token takes to come back, in ms (at least 1). */
  public long millisPerToken() {
    return Math.max(1, refill.toMillis() / bucketSize);
  }
}
