package org.quintet.relay;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import org.quintet.protocol.Crypto;
import org.quintet.relay.linking.LinkSessions;
import org.quintet.relay.linking.MemoryLinkSessions;
import org.quintet.relay.linking.RedisLinkSessions;
import org.quintet.relay.metrics.RelayMetrics;
import org.quintet.relay.redis.RedisLink;
import org.quintet.relay.redis.RedisPersistence;
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
 * Redis Cluster), reached through one {@link RedisLink}. With them, the metrics every part of the
 * node counts in, the storage's and Redis's included.
 */
public record Backend(RelayStorage storage, NodeBus bus, LinkSessions linkSessions, RedisLink redis,
    RelayMetrics metrics, DataDirectoryLock lock) {
  private static final Logger LOG = LoggerFactory.getLogger(Backend.class);
  /** Holds a digest of the cluster's relay key (never the key): the first node to start sets it. */
  private static final String KEY_CHECK = "q:relay-key-check";

  /**
   * The embedded database, or Redis when the configuration names one, with metrics of their own
   * (on, unless the configuration turns them off): for a node started without a
   * {@link RelayMetrics} made beforehand, so without Vert.x's own meters.
   */
  public static Future<Backend> open(Vertx vertx, RelayConfig config, Clock clock) {
    return open(vertx, config, clock, RelayMetrics.of(config.observability().metricsEnabled()));
  }

  /**
   * The same, counting in {@code metrics}, which the node built on this backend serves too. First
   * the data directory's lock: it holds the relay key and the certificate even with Redis.
   */
  public static Future<Backend> open(Vertx vertx, RelayConfig config, Clock clock, RelayMetrics metrics) {
    return vertx.executeBlocking(() -> DataDirectoryLock.take(config.dataDir()))
        .compose(lock -> open(vertx, config, clock, metrics, lock).onFailure(e -> lock.close()));
  }

  private static Future<Backend> open(Vertx vertx, RelayConfig config, Clock clock, RelayMetrics metrics,
      DataDirectoryLock lock) {
    if (!config.usesRedis()) {
      return SqliteStorage.open(vertx, config.dataDir(), metrics)
          .map(storage -> new Backend(storage, new LocalBus(vertx), new MemoryLinkSessions(clock), null, metrics, lock));
    }
    RedisLink redis;
    if (config.redisClusterNodes().isEmpty()) {
      LOG.info("cluster mode: one Redis");
      redis = RedisLink.standalone(vertx, config.redisUrl(), metrics);
    } else {
      LOG.info("cluster mode: Redis Cluster {}", config.redisClusterNodes().stream().map(Backend::withoutPassword)
          .toList());
      redis = RedisLink.cluster(vertx, config.redisClusterNodes(), metrics);
    }
    return RedisBus.start(vertx, redis).map(bus ->
        new Backend(new RedisStorage(redis, metrics), bus, new RedisLinkSessions(redis), redis, metrics, lock));
  }

  /** A Redis URL as it may be logged: a password in it ({@code redis://:SECRET@host}) is left out. */
  static String withoutPassword(String url) {
    return url.replaceFirst("^([a-z]+://)[^@/]*@", "$1***@");
  }

  /**
   * Lets a node with this relay key join: every node of a cluster must check the tokens the others
   * issue, so a node whose key differs from the first node's refuses to start, and says why.
   */
  public Future<Void> admit(byte[] relayKey, Path keyFile) {
    if (redis == null) {
      return Future.succeededFuture();
    }
    String digest = HexFormat.of().formatHex(Crypto.hmac(relayKey, "quintet relay key check".getBytes(UTF_8)));
    return redis.send(Request.cmd(Command.SET).arg(KEY_CHECK).arg(digest).arg("NX").arg("GET")).compose(earlier -> {
      if (earlier == null || earlier.toString().equals(digest)) {
        return Future.succeededFuture();
      }
      return Future.failedFuture(new IllegalStateException("the relay key in " + keyFile + " is not the cluster's: "
          + "copy relay.key from a running node (or point relayKeyFile at the shared key) and start again"));
    });
  }

  /**
   * Checks that Redis keeps what it acknowledged through a crash of its machine: a warning when it
   * does not, a refusal to start when {@code required} ({@link RedisPersistence}).
   */
  public Future<Void> checkPersistence(boolean required) {
    return redis == null ? Future.succeededFuture() : RedisPersistence.check(redis, required);
  }

  /**
   * Whether this node takes its turn at a job the cluster needs done once per period (the hourly
   * purge and inactivity sweep walk every account): true for the first node to ask in a period
   * of {@code periodMillis}, false for the others. A node alone always takes it.
   */
  public Future<Boolean> takeTurn(String job, long periodMillis) {
    if (redis == null) {
      return Future.succeededFuture(true);
    }
    return redis.send(Request.cmd(Command.SET).arg("q:turn:" + job).arg("taken").arg("NX").arg("PX").arg(periodMillis))
        .map(taken -> taken != null);
  }

  /** Whether this node can serve: its storage answers and its bus carries messages. */
  public boolean ready() {
    return (redis == null || redis.reachable()) && bus.ready();
  }

  /** Closes the bus, then the storage (which closes the connection to Redis, if any), then lets the data directory go. */
  public Future<Void> close() {
    return bus.close().transform(v -> storage.close()).onComplete(v -> lock.close());
  }
}
