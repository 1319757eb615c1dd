package org.quintet.relay.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quintet.relay.redis.RedisLink;
import org.quintet.relay.storage.redis.RedisServer;

class RedisTokenBucketsTest extends TokenBucketsContractTest {
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @Override
  TokenBuckets open(Vertx vertx, Map<Limiter, RateLimit> limits, Clock clock) throws Exception {
    redis.cli("FLUSHALL");
    return new RedisTokenBuckets(RedisLink.standalone(vertx, redis.url()), limits);
  }

  @Test
  void aBucketIsAKeyOnlyWhileItIsNotFullAndANodeBehindInTimeTakesNothingExtra() throws Exception {
    String key = RedisTokenBuckets.key(Limiter.SENDS_PER_DEVICE, "+8801711000001/1");
    assertEquals("q:{limit:sendsPerDevice:+8801711000001/1}", key);
    assertEquals(0, take(Limiter.SENDS_PER_DEVICE, "+8801711000001/1"));
    long ttl = Long.parseLong(redis.cli("PTTL", key).trim());
    assertTrue(ttl > 14_000 && ttl <= 15_000, "it expires when it would be full: " + ttl);
    await(buckets.giveBack(Limiter.SENDS_PER_DEVICE, "+8801711000001/1", now.get()));
    assertEquals("0", redis.cli("EXISTS", key).trim(), "a full bucket is no key");

    for (int i = 0; i < 4; i++) {
      assertEquals(0, take(Limiter.SENDS_PER_DEVICE, "b"));
    }
    // Another node's clock, a minute behind, sees the same empty bucket and no time gone by.
    assertEquals(15_000, await(buckets.take(Limiter.SENDS_PER_DEVICE, "b", now.get() - 60_000)));
    now.addAndGet(15_000);
    assertEquals(0, take(Limiter.SENDS_PER_DEVICE, "b"));
  }
}
