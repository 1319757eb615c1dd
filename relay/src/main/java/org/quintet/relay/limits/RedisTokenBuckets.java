package org.quintet.relay.limits;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import org.quintet.relay.redis.RedisLink;
import org.quintet.relay.redis.Script;

/**
 * The buckets of a cluster, in Redis, so that a client gains nothing by spreading its requests
 * over the nodes: one hash per limiter and key, {@code q:{limit:NAME:KEY}}, each its own hash tag
 * (its own Cluster slot, so the buckets spread over a Redis Cluster's masters), taken from and
 * given back to by one script ({@code lua/take_token.lua}).
 */
public final class RedisTokenBuckets implements TokenBuckets {
  private static final Script TAKE_TOKEN = Script.load("take_token");

  private final RedisLink redis;
  private final Map<Limiter, RateLimit> limits;

  public RedisTokenBuckets(RedisLink redis, Map<Limiter, RateLimit> limits) {
    this.redis = redis;
    this.limits = limits;
  }

  /** The bucket's key. Keys never hold a brace (addresses, numbers, ids), so the tag is the whole name. */
  static String key(Limiter limiter, String key) {
    return "q:{limit:" + limiter.setting() + ":" + key + "}";
  }

  @Override
  public Future<Long> take(Limiter limiter, String key, long nowMillis) {
    return run(limiter, key, nowMillis, 1).map(wait -> wait.toLong());
  }

  @Override
  public Future<Void> giveBack(Limiter limiter, String key, long nowMillis) {
    return run(limiter, key, nowMillis, -1).mapEmpty();
  }

  private Future<io.vertx.redis.client.Response> run(Limiter limiter, String key, long nowMillis, int cost) {
    RateLimit limit = limits.get(limiter);
    return redis.eval(TAKE_TOKEN, List.of(key(limiter, key)),
        r -> r.arg(limit.bucketSize()).arg(limit.refill().toMillis()).arg(nowMillis).arg(cost));
  }
}
