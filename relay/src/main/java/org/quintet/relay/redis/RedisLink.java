package org.quintet.relay.redis;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisCluster;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;
import org.quintet.relay.RelayLimits;
import org.quintet.relay.metrics.RelayMetrics;
import org.quintet.relay.storage.StorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A relay node's way to Redis, shared by the storage, the routing and the linking state, plus what
 * the client lacks. On a standalone Redis each call takes a pooled connection. On a Redis Cluster
 * a client connection is one socket to every master, and taking those from the per-master pools
 * call by call stalls under many concurrent calls; there calls go out pipelined over
 * {@link RelayLimits#REDIS_CLUSTER_LANES} long-lived connections, taken in turn, and a connection
 * that ends is dropped and opened again on the next call. When Redis cannot be reached, calls fail
 * at once instead of each waiting out its own connection attempt, while one PING probe, backing
 * off from {@link RelayLimits#REDIS_FIRST_RETRY} to {@link RelayLimits#REDIS_LAST_RETRY}, finds out
 * when Redis is back. Scripts run with EVALSHA, and with EVAL when Redis does not have them yet
 * (after a restart, or on a node that never saw them).
 */
public final class RedisLink {
  private static final int LANES = RelayLimits.REDIS_CLUSTER_LANES;
  private static final String REFUSED = "REFUSED ";
  private static final Logger log = LoggerFactory.getLogger(RedisLink.class);

  private final Vertx vertx;
  private final RedisOptions options;
  private final Redis redis;
  private final AtomicReferenceArray<Future<RedisConnection>> lanes = new AtomicReferenceArray<>(LANES);
  private final AtomicInteger nextLane = new AtomicInteger();
  private final boolean pipelined;
  private final AtomicBoolean down = new AtomicBoolean();
  private volatile boolean closed;
  private final RelayMetrics metrics;

  private RedisLink(Vertx vertx, RedisOptions options, RelayMetrics metrics) {
    this.vertx = vertx;
    this.options = options;
    this.metrics = metrics;
    this.redis = Redis.createClient(vertx, options);
    this.pipelined = options.getType() == RedisClientType.CLUSTER;
  }

  /** A standalone Redis, e.g. {@code redis://127.0.0.1:6379}. */
  public static RedisLink standalone(Vertx vertx, String connectionString) {
    return standalone(vertx, connectionString, RelayMetrics.disabled());
  }

  /** The same, counting errors and reconnections in {@code metrics}. */
  public static RedisLink standalone(Vertx vertx, String connectionString, RelayMetrics metrics) {
    return create(vertx, new RedisOptions().setType(RedisClientType.STANDALONE).setConnectionString(connectionString),
        metrics);
  }

  /** A Redis Cluster, found through any of its nodes, e.g. {@code redis://127.0.0.1:7000}. */
  public static RedisLink cluster(Vertx vertx, List<String> nodes) {
    return cluster(vertx, nodes, RelayMetrics.disabled());
  }

  /** The same, counting errors and reconnections in {@code metrics}. */
  public static RedisLink cluster(Vertx vertx, List<String> nodes, RelayMetrics metrics) {
    return create(vertx, new RedisOptions().setType(RedisClientType.CLUSTER).setEndpoints(new ArrayList<>(nodes)),
        metrics);
  }

  private static RedisLink create(Vertx vertx, RedisOptions options, RelayMetrics metrics) {
    options.setMaxPoolSize(RelayLimits.REDIS_MAX_POOL_SIZE).setMaxPoolWaiting(RelayLimits.REDIS_MAX_WAITING_CALLS)
        .setMaxWaitingHandlers(RelayLimits.REDIS_MAX_WAITING_CALLS)
        .setNetClientOptions(new NetClientOptions()
            .setConnectTimeout((int) RelayLimits.REDIS_CONNECT_TIMEOUT.toMillis()).setTcpNoDelay(true));
    return new RedisLink(vertx, options, metrics);
  }

  /** Where this link counts its errors and reconnections; the bus over it counts its own there too. */
  public RelayMetrics metrics() {
    return metrics;
  }

  /** False while Redis cannot be reached (calls fail at once until a probe gets an answer). */
  public boolean reachable() {
    return !down.get() && !closed;
  }

  /**
   * A connection of its own, outside the pool, for subscriptions: a subscribed connection can no
   * longer serve other calls. The caller closes it.
   */
  public Future<RedisConnection> connectDedicated() {
    Redis dedicated = Redis.createClient(vertx, new RedisOptions(options).setMaxPoolSize(1));
    return dedicated.connect().onFailure(e -> dedicated.close());
  }

  public Future<Response> send(Request request) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the storage is closed"));
    }
    if (down.get()) {
      metrics.redisError(RelayMetrics.RedisError.UNAVAILABLE);
      return Future.failedFuture(new IllegalStateException("Redis is unreachable; reconnecting"));
    }
    Future<Response> call = pipelined ? lane().compose(connection -> connection.send(request)) : redis.send(request);
    return call.recover(failure -> {
      // A reply error (ErrorType implements Response) means Redis is there; anything else is the connection.
      if (!(failure instanceof Response)) {
        metrics.redisError(RelayMetrics.RedisError.CONNECTION);
        if (down.compareAndSet(false, true)) {
          log.warn("Redis is unreachable: {}", failure.toString());
          probe(RelayLimits.REDIS_FIRST_RETRY.toMillis());
        }
      } else if (!expectedReply(failure.getMessage())) {
        metrics.redisError(RelayMetrics.RedisError.REPLY);
      }
      return Future.failedFuture(failure);
    });
  }

  /** Error replies that are part of the work: a script Redis must be sent first, a script's refusal. */
  private static boolean expectedReply(String message) {
    return message != null && (message.startsWith("NOSCRIPT") || message.startsWith(REFUSED));
  }

  /** Sends {@code request} to the Redis, or to every master of a Redis Cluster; one answer each. */
  public Future<List<Response>> onEveryMaster(Request request) {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("the storage is closed"));
    }
    return pipelined ? RedisCluster.create(redis).onAllMasterNodes(request) : send(request).map(List::of);
  }

  /** The next lane's connection, opened if it is not open. */
  private Future<RedisConnection> lane() {
    int index = Math.floorMod(nextLane.getAndIncrement(), LANES);
    Future<RedisConnection> lane = lanes.get(index);
    if (lane != null && !lane.failed()) {
      return lane;
    }
    Promise<RedisConnection> opening = Promise.promise();
    if (!lanes.compareAndSet(index, lane, opening.future())) {
      return lane();
    }
    redis.connect().onComplete(result -> {
      if (result.succeeded()) {
        RedisConnection connection = result.result();
        connection.exceptionHandler(e -> drop(index, opening.future(), connection));
        connection.endHandler(v -> drop(index, opening.future(), connection));
        if (closed) {
          drop(index, opening.future(), connection);
        }
      }
      opening.handle(result);
    });
    return opening.future();
  }

  private void drop(int index, Future<RedisConnection> lane, RedisConnection connection) {
    if (lanes.compareAndSet(index, lane, null)) {
      connection.close();
    }
  }

  /**
   * Runs a script with the keys it declares, in its order, on the node that holds them (they share
   * a Cluster slot); a "REFUSED reason" error becomes a refusal.
   */
  public Future<Response> eval(Script script, List<String> keys, Consumer<Request> args) {
    return send(call(Command.EVALSHA, script.sha(), keys, args)).recover(failure -> {
      if (failure instanceof Response && failure.getMessage().startsWith("NOSCRIPT")) {
        return send(call(Command.EVAL, script.source(), keys, args));
      }
      return Future.failedFuture(failure);
    }).recover(RedisLink::refusal);
  }

  private static Request call(Command command, String script, List<String> keys, Consumer<Request> args) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    args.accept(request);
    return request;
  }

  private static Future<Response> refusal(Throwable failure) {
    String message = failure.getMessage();
    if (failure instanceof Response && message != null && message.startsWith(REFUSED)) {
      String reason = message.substring(REFUSED.length()).trim();
      return Future.failedFuture(new StorageException(StorageException.Reason.valueOf(reason), "refused: " + reason));
    }
    return Future.failedFuture(failure);
  }

  private void probe(long delayMs) {
    vertx.setTimer(delayMs, timer -> {
      if (closed) {
        return;
      }
      redis.send(Request.cmd(Command.PING)).onComplete(ping -> {
        if (ping.succeeded()) {
          log.info("Redis is reachable again");
          metrics.redisReconnected(RelayMetrics.RedisConnection.COMMANDS);
          down.set(false);
        } else {
          probe(Math.min(delayMs * 2, RelayLimits.REDIS_LAST_RETRY.toMillis()));
        }
      });
    });
  }

  public Future<Void> close() {
    closed = true;
    for (int i = 0; i < LANES; i++) {
      Future<RedisConnection> lane = lanes.getAndSet(i, null);
      if (lane != null) {
        lane.onSuccess(RedisConnection::close);
      }
    }
    redis.close();
    return Future.succeededFuture();
  }
}
