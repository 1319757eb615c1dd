package org.quintet.relay.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the limiters rely on from either place of their buckets, the node's memory (Bucket4j) and
 * Redis (take_token.lua): the same token bucket, to the millisecond.
 */
abstract class TokenBucketsContractTest {
  /** 4 tokens, one back every 15 s. */
  static final Map<Limiter, RateLimit> LIMITS = Map.of(Limiter.SENDS_PER_DEVICE, new RateLimit(4, Duration.ofMinutes(1)),
      Limiter.VERIFICATION_CODES_PER_IP, new RateLimit(1, Duration.ofHours(1)));
  static final long START = 1_700_000_000_000L;

  final AtomicLong now = new AtomicLong(START);
  final Clock clock = new Clock() {
    @Override
    public long millis() {
      return now.get();
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  };
  Vertx vertx;
  TokenBuckets buckets;

  abstract TokenBuckets open(Vertx vertx, Map<Limiter, RateLimit> limits, Clock clock) throws Exception;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    buckets = open(vertx, LIMITS, clock);
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  long take(Limiter limiter, String key) throws Exception {
    return await(buckets.take(limiter, key, now.get()));
  }

  @Test
  void aFullBucketGivesItsSizeThenOneTokenPerInterval() throws Exception {
    for (int i = 0; i < 4; i++) {
      assertEquals(0, take(Limiter.SENDS_PER_DEVICE, "a"));
    }
    assertEquals(15_000, take(Limiter.SENDS_PER_DEVICE, "a"), "the wait for the next token");
    now.addAndGet(10_000);
    assertEquals(5_000, take(Limiter.SENDS_PER_DEVICE, "a"), "a refusal takes nothing");
    now.addAndGet(5_000);
    assertEquals(0, take(Limiter.SENDS_PER_DEVICE, "a"));
    assertEquals(15_000, take(Limiter.SENDS_PER_DEVICE, "a"));
    now.addAndGet(Duration.ofHours(2).toMillis());
    for (int i = 0; i < 4; i++) {
      assertEquals(0, take(Limiter.SENDS_PER_DEVICE, "a"), "full again, and no fuller");
    }
    assertTrue(take(Limiter.SENDS_PER_DEVICE, "a") > 0);
  }

  @Test
  void bucketsAreByLimiterAndKey() throws Exception {
    assertEquals(0, take(Limiter.VERIFICATION_CODES_PER_IP, "a"));
    assertEquals(3_600_000, take(Limiter.VERIFICATION_CODES_PER_IP, "a"));
    assertEquals(0, take(Limiter.VERIFICATION_CODES_PER_IP, "b"));
    assertEquals(0, take(Limiter.SENDS_PER_DEVICE, "a"));
  }

  @Test
  void aTokenGivenBackCanBeTakenAgainButNeverOverfillsTheBucket() throws Exception {
    assertEquals(0, take(Limiter.VERIFICATION_CODES_PER_IP, "a"));
    await(buckets.giveBack(Limiter.VERIFICATION_CODES_PER_IP, "a", now.get()));
    assertEquals(0, take(Limiter.VERIFICATION_CODES_PER_IP, "a"));
    assertTrue(take(Limiter.VERIFICATION_CODES_PER_IP, "a") > 0);

    await(buckets.giveBack(Limiter.SENDS_PER_DEVICE, "full", now.get()));
    for (int i = 0; i < 4; i++) {
      assertEquals(0, take(Limiter.SENDS_PER_DEVICE, "full"));
    }
    assertTrue(take(Limiter.SENDS_PER_DEVICE, "full") > 0, "a full bucket took nothing back");
  }
}
