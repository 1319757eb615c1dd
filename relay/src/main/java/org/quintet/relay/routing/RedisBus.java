package org.quintet.relay.routing;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.quintet.relay.redis.RedisLink;
import org.quintet.relay.redis.Script;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus of a cluster: Redis sharded pub/sub (SSUBSCRIBE / SPUBLISH), so a message travels only to
 * the Redis node that owns its channel's slot, and presence claims in a per-account hash in the
 * account's slot. One dedicated connection carries every subscription of this node. The client does
 * not reconnect or re-subscribe by itself: when the connection ends this bus reconnects, backing
 * off from {@value #FIRST_RETRY_MS} ms to {@value #LAST_RETRY_MS} ms, subscribes every channel
 * again, and then tells {@link #onResubscribed} listeners to look for what they may have missed.
 */
public final class RedisBus implements NodeBus {
  private static final Logger LOG = LoggerFactory.getLogger(RedisBus.class);
  private static final long FIRST_RETRY_MS = 50;
  private static final long LAST_RETRY_MS = 5_000;
  private static final long SUBSCRIBE_TIMEOUT_MS = 5_000;

  /** Returns the new claim's epoch; the account's epoch counter lives in the same hash. */
  private static final Script CLAIM = Script.of("""
      local epoch = redis.call('HINCRBY', KEYS[1], '#epoch', 1)
      redis.call('HSET', KEYS[1], ARGV[1], epoch .. ' ' .. ARGV[2])
      return epoch
      """);
  private static final Script RELEASE = Script.of("""
      local claim = redis.call('HGET', KEYS[1], ARGV[1])
      if claim and string.match(claim, '^%d+') == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
      return 0
      """);

  private record Subscriber(Consumer<String> handler, Context context) {}

  private final Vertx vertx;
  private final RedisLink redis;
  private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
  private final Map<String, List<Promise<Void>>> confirmations = new ConcurrentHashMap<>();
  private final List<Runnable> resubscribed = new CopyOnWriteArrayList<>();
  private final AtomicBoolean reconnecting = new AtomicBoolean();
  private volatile RedisConnection connection;
  private volatile boolean ready;
  private volatile boolean closed;

  private RedisBus(Vertx vertx, RedisLink redis) {
    this.vertx = vertx;
    this.redis = redis;
  }

  /**
   * A bus over {@code redis}. The future completes after the first attempt to connect, whether or
   * not it succeeded: a node may start while Redis is down, not ready, and keeps trying.
   */
  public static Future<RedisBus> start(Vertx vertx, RedisLink redis) {
    RedisBus bus = new RedisBus(vertx, redis);
    return bus.connect().transform(attempt -> {
      if (attempt.failed()) {
        bus.reconnect(FIRST_RETRY_MS);
      }
      return Future.succeededFuture(bus);
    });
  }

  @Override
  public Future<Void> subscribe(String channel, Consumer<String> handler) {
    subscribers.put(channel, new Subscriber(handler, Vertx.currentContext()));
    RedisConnection subscriber = connection;
    if (subscriber == null) {
      subscribers.remove(channel);
      return Future.failedFuture(new IllegalStateException("Redis is unreachable; reconnecting"));
    }
    return onCallerContext(ssubscribe(subscriber, channel)).onFailure(e -> subscribers.remove(channel));
  }

  @Override
  public Future<Void> unsubscribe(String channel) {
    subscribers.remove(channel);
    RedisConnection subscriber = connection;
    if (subscriber == null) {
      return Future.succeededFuture();
    }
    return subscriber.send(Request.cmd(Command.SUNSUBSCRIBE).arg(channel)).mapEmpty();
  }

  @Override
  public Future<Long> publish(String channel, String message) {
    return redis.send(Request.cmd(Command.SPUBLISH).arg(channel).arg(message)).map(Response::toLong);
  }

  @Override
  public Future<Long> claim(String number, long deviceId, String node) {
    return redis.eval(CLAIM, Channels.presence(number), r -> r.arg(deviceId).arg(node)).map(Response::toLong);
  }

  @Override
  public Future<Long> newestClaim(String number, long deviceId) {
    return redis.send(Request.cmd(Command.HGET).arg(Channels.presence(number)).arg(deviceId))
        .map(claim -> claim == null ? 0L : Long.parseLong(claim.toString().split(" ", 2)[0]));
  }

  @Override
  public Future<Void> release(String number, long deviceId, long epoch) {
    return redis.eval(RELEASE, Channels.presence(number), r -> r.arg(deviceId).arg(epoch)).mapEmpty();
  }

  @Override
  public boolean lossy() {
    return true;
  }

  @Override
  public void onResubscribed(Runnable action) {
    Context context = Vertx.currentContext();
    resubscribed.add(context == null ? action : () -> context.runOnContext(v -> action.run()));
  }

  @Override
  public boolean ready() {
    return ready && redis.reachable();
  }

  @Override
  public Future<Void> close() {
    closed = true;
    ready = false;
    RedisConnection subscriber = connection;
    connection = null;
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }

  // --- the subscriber connection ----------------------------------------------------------------

  private Future<Void> connect() {
    return redis.connectDedicated().compose(subscriber -> {
      if (closed) {
        subscriber.close();
        return Future.failedFuture("closed");
      }
      // The handler is set before the first SSUBSCRIBE, so no message arrives unhandled.
      subscriber.handler(this::onPush);
      subscriber.endHandler(v -> lost(subscriber, "connection ended"));
      subscriber.exceptionHandler(e -> lost(subscriber, e.toString()));
      connection = subscriber;
      List<Future<Void>> all = new ArrayList<>();
      subscribers.keySet().forEach(channel -> all.add(ssubscribe(subscriber, channel)));
      return Future.all(all).onFailure(e -> lost(subscriber, e.toString())).map(v -> {
        ready = true;
        LOG.info("subscribed to Redis ({} channels)", subscribers.size());
        resubscribed.forEach(Runnable::run);
        return null;
      });
    });
  }

  private void lost(RedisConnection subscriber, String why) {
    if (connection != subscriber) {
      return;
    }
    connection = null;
    ready = false;
    subscriber.close();
    failConfirmations("the subscription connection to Redis was lost");
    if (!closed) {
      LOG.warn("subscription connection to Redis lost ({}); reconnecting", why);
      reconnect(FIRST_RETRY_MS);
    }
  }

  /** One reconnection at a time; it backs off until a connection has every channel again. */
  private void reconnect(long delayMs) {
    if (closed || !reconnecting.compareAndSet(false, true)) {
      return;
    }
    vertx.setTimer(delayMs, timer -> connect().onComplete(attempt -> {
      reconnecting.set(false);
      if (attempt.failed() && connection == null) {
        reconnect(Math.min(delayMs * 2, LAST_RETRY_MS));
      }
    }));
  }

  /** Sends SSUBSCRIBE; completes when Redis confirms it (the confirmation arrives as a push). */
  private Future<Void> ssubscribe(RedisConnection subscriber, String channel) {
    Promise<Void> confirmed = Promise.promise();
    confirmations.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(confirmed);
    long timeout = vertx.setTimer(SUBSCRIBE_TIMEOUT_MS,
        id -> confirmed.tryFail("Redis did not confirm the subscription in time"));
    subscriber.send(Request.cmd(Command.SSUBSCRIBE).arg(channel)).onFailure(confirmed::tryFail);
    return confirmed.future().andThen(done -> vertx.cancelTimer(timeout));
  }

  private void onPush(Response push) {
    if (push == null || push.size() < 2) {
      return;
    }
    String kind = push.get(0).toString();
    String channel = push.get(1).toString();
    if ("smessage".equals(kind) && push.size() >= 3) {
      Subscriber subscriber = subscribers.get(channel);
      if (subscriber != null) {
        String message = push.get(2).toString(UTF_8);
        if (subscriber.context() == null) {
          subscriber.handler().accept(message);
        } else {
          subscriber.context().runOnContext(v -> subscriber.handler().accept(message));
        }
      }
    } else if ("ssubscribe".equals(kind)) {
      List<Promise<Void>> waiting = confirmations.remove(channel);
      if (waiting != null) {
        waiting.forEach(Promise::tryComplete);
      }
    }
  }

  private void failConfirmations(String why) {
    confirmations.keySet().forEach(channel -> {
      List<Promise<Void>> waiting = confirmations.remove(channel);
      if (waiting != null) {
        waiting.forEach(p -> p.tryFail(why));
      }
    });
  }

  /** Continues on the caller's event loop, not on the subscription connection's. */
  private static <T> Future<T> onCallerContext(Future<T> future) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return future;
    }
    Promise<T> promise = Promise.promise();
    future.onComplete(result -> caller.runOnContext(v -> promise.handle(result)));
    return promise.future();
  }
}
