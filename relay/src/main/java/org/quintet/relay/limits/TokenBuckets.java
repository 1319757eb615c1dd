package org.quintet.relay.limits;

import io.vertx.core.Future;

/**
 * Where the token buckets of the rate limiters are kept, each limiter with its {@link RateLimit}:
 * this node's memory ({@link LocalTokenBuckets}), or Redis, shared by every node of a cluster
 * ({@link RedisTokenBuckets}). The caller gives the time, so that every node counts on its own
 * clock and tests can move it.
 */
public interface TokenBuckets {

  /**
   * Takes one token from {@code limiter}'s bucket for {@code key}: 0 when it was taken, else the
   * milliseconds until one will be there, and nothing was taken.
   */
  Future<Long> take(Limiter limiter, String key, long nowMillis);

  /** Puts back a token taken for a request that another limiter then refused. */
  Future<Void> giveBack(Limiter limiter, String key, long nowMillis);
}
