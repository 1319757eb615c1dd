package org.quintet.relay;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.function.BooleanSupplier;
import org.quintet.relay.linking.LinkSessions;
import org.quintet.relay.linking.MemoryLinkSessions;
import org.quintet.relay.linking.RedisLinkSessions;
import org.quintet.relay.redis.RedisLink;
import org.quintet.relay.routing.LocalBus;
import org.quintet.relay.routing.NodeBus;
import org.quintet.relay.routing.RedisBus;
import org.quintet.relay.storage.RelayStorage;
import org.quintet.relay.storage.embedded.SqliteStorage;
import org.quintet.relay.storage.redis.RedisStorage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node shares with the other nodes: its storage, its bus and its link sessions. Alone, that
 * is the embedded database and this process's memory; in a cluster, all three are one Redis (or
 * Redis Cluster), reached through one {@link RedisLink}.
 */
public record Backend(RelayStorage storage, NodeBus bus, LinkSessions linkSessions, BooleanSupplier storageReachable) {
  private static final Logger LOG = LoggerFactory.getLogger(Backend.class);

  /** The embedded database, or Redis when the configuration names one. */
  public static Future<Backend> open(Vertx vertx, RelayConfig config, Clock clock) {
    if (!config.usesRedis()) {
      return SqliteStorage.open(vertx, config.dataDir())
          .map(storage -> new Backend(storage, new LocalBus(), new MemoryLinkSessions(clock), () -> true));
    }
    RedisLink redis;
    if (config.redisClusterNodes().isEmpty()) {
      LOG.info("cluster mode: one Redis");
      redis = RedisLink.standalone(vertx, config.redisUrl());
    } else {
      LOG.info("cluster mode: Redis Cluster {}", config.redisClusterNodes());
      redis = RedisLink.cluster(vertx, config.redisClusterNodes());
    }
    return RedisBus.start(vertx, redis).map(bus ->
        new Backend(new RedisStorage(redis), bus, new RedisLinkSessions(redis), redis::reachable));
  }

  /** Whether this node can serve: its storage answers and its bus carries messages. */
  public boolean ready() {
    return storageReachable.getAsBoolean() && bus.ready();
  }

  /** Closes the bus, then the storage (which closes the connection to Redis, if any). */
  public Future<Void> close() {
    return bus.close().transform(v -> storage.close());
  }
}
