package org.quintet.relay.limits;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The buckets of a node that runs alone: Bucket4j's token buckets, on the relay's clock, in a
 * Caffeine map per limiter. A bucket left alone for its refill time is full again, the same as a
 * new one, so the map forgets it then (on the same clock); the size bound only matters against a
 * flood of distinct keys, and drops the buckets used least.
 */
public final class LocalTokenBuckets implements TokenBuckets {
  /** Far above the keys a node sees in a refill time; a bucket is a few hundred bytes. */
  private static final int MAX_BUCKETS_PER_LIMITER = 100_000;

  private final Map<Limiter, RateLimit> limits;
  private final TimeMeter time;
  private final Map<Limiter, Cache<String, Bucket>> buckets = new EnumMap<>(Limiter.class);

  public LocalTokenBuckets(Map<Limiter, RateLimit> limits, Clock clock) {
    this.limits = limits;
    this.time = new RelayTime(clock);
    Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    limits.forEach((limiter, limit) -> buckets.put(limiter, Caffeine.newBuilder().ticker(ticker)
        .expireAfterAccess(limit.refill()).maximumSize(MAX_BUCKETS_PER_LIMITER).build()));
  }

  @Override
  public Future<Long> take(Limiter limiter, String key, long nowMillis) {
    ConsumptionProbe probe = bucket(limiter, key).tryConsumeAndReturnRemaining(1);
    if (probe.isConsumed()) {
      return Future.succeededFuture(0L);
    }
    return Future.succeededFuture(Math.max(1, TimeUnit.NANOSECONDS.toMillis(probe.getNanosToWaitForRefill() + 999_999)));
  }

  @Override
  public Future<Void> giveBack(Limiter limiter, String key, long nowMillis) {
    bucket(limiter, key).addTokens(1);
    return Future.succeededFuture();
  }

  private Bucket bucket(Limiter limiter, String key) {
    RateLimit limit = limits.get(limiter);
    return buckets.get(limiter).get(key, k -> Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(limit.bucketSize()).refillGreedy(limit.bucketSize(), limit.refill())
            .build())
        .withCustomTimePrecision(time).build());
  }

  /** Bucket4j's time is the relay's clock (a test's clock in tests), in whole milliseconds. */
  private record RelayTime(Clock clock) implements TimeMeter {
    @Override
    public long currentTimeNanos() {
      return TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }

    @Override
    public boolean isWallClockBased() {
      return true;
    }
  }
}
