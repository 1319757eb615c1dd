package org.quintet.relay.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a node's Redis keeps what it acknowledged through a crash of its machine: the relay
 * answers a send once Redis answered its writes, and only {@code appendonly yes} with
 * {@code appendfsync always} on every master syncs them first (docs/cluster.md, "Persistence").
 * Read with CONFIG GET when the node starts. A Redis that refuses CONFIG (renamed or denied, as
 * managed services do) cannot be checked: the node says so and starts.
 */
public final class RedisPersistence {
  private static final Logger LOG = LoggerFactory.getLogger(RedisPersistence.class);
  private static final String SETTING = "redis.requireDurable";

  private RedisPersistence() {}

  /**
   * Logs whether Redis keeps every acknowledged write; fails when it does not and
   * {@code required}. Fails too when Redis cannot be reached, as the node's other start-up calls do.
   */
  public static Future<Void> check(RedisLink redis, boolean required) {
    return redis.onEveryMaster(Request.cmd(Command.CONFIG).arg("GET").arg("append*")).transform(read -> {
      if (read.failed()) {
        if (read.cause() instanceof Response refused) {
          LOG.warn("cannot read Redis's persistence settings (CONFIG GET answered: {}); make sure it runs with "
              + "appendonly yes and appendfsync always{}", refused, required ? " (" + SETTING + " is set but "
              + "cannot be checked)" : "");
          return Future.succeededFuture();
        }
        return Future.failedFuture(read.cause());
      }
      Set<String> weaknesses = new TreeSet<>();
      read.result().forEach(settings -> weakness(settings).ifPresent(weaknesses::add));
      if (weaknesses.isEmpty()) {
        LOG.info("Redis syncs every write before it answers (appendonly yes, appendfsync always)");
        return Future.succeededFuture();
      }
      String why = "Redis can lose acknowledged messages in a crash of its machine: " + String.join("; ", weaknesses)
          + ". Run it with appendonly yes and appendfsync always (docs/cluster.md)";
      if (required) {
        return Future.failedFuture(new IllegalStateException(why + ", or unset " + SETTING));
      }
      LOG.warn("{}, or set {} to refuse to start on such a Redis", why, SETTING);
      return Future.succeededFuture();
    });
  }

  /** What one master's settings lose in a crash of its machine; empty when nothing acknowledged. */
  private static Optional<String> weakness(Response settings) {
    String appendOnly = value(settings, "appendonly");
    String fsync = value(settings, "appendfsync");
    if (!"yes".equals(appendOnly)) {
      return Optional.of("appendonly is " + appendOnly + " (only snapshots, if any, are on disk)");
    }
    if (!"always".equals(fsync)) {
      return Optional.of("appendfsync is " + fsync + " (it answers before its writes are synced to disk)");
    }
    return Optional.empty();
  }

  private static String value(Response settings, String name) {
    Response value = settings.get(name);
    return value == null ? "unknown" : value.toString();
  }
}
