package org.quintet.relay.routing;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.quintet.relay.RelayLimits;
import org.quintet.relay.metrics.RelayMetrics;
import org.quintet.relay.redis.RedisLink;
import org.quintet.relay.redis.Script;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bus of a cluster: Redis sharded pub/sub (SSUBSCRIBE / SPUBLISH), so a message travels only to
 * the Redis node that owns its channel's slot, and presence claims in a per-account hash in the
 * account's slot. One dedicated connection carries every subscription of this node, whatever the
 * number of listeners a channel has here; a message that arrives goes on to them over the Vert.x
 * event bus ({@link LocalConsumers}). The client does not reconnect or re-subscribe by itself:
 * when the connection ends this bus reconnects, backing off from
 * {@link RelayLimits#REDIS_FIRST_RETRY} to {@link RelayLimits#REDIS_LAST_RETRY}, subscribes every
 * channel again, and then tells {@link #onResubscribed} listeners to look for what they may have missed.
 */
public final class RedisBus implements NodeBus {
  private static final Logger LOG = LoggerFactory.getLogger(RedisBus.class);

  /** Returns the new claim's epoch; the account's epoch counter lives in the same hash. */
  private static final Script CLAIM = Script.load("claim_presence");
  private static final Script RELEASE = Script.load("release_presence");

  private final Vertx vertx;
  private final RedisLink redis;
  private final LocalConsumers consumers;
  /** This node's Redis subscriptions: channel → confirmed (or being confirmed) by Redis. */
  private final Map<String, Future<Void>> subscriptions = new ConcurrentHashMap<>();
  /** SUNSUBSCRIBEs this node sent whose confirmation has not come back yet, by channel. */
  private final Map<String, Integer> leaving = new ConcurrentHashMap<>();
  private final Map<String, List<Promise<Void>>> confirmations = new ConcurrentHashMap<>();
  private final List<Runnable> resubscribed = new CopyOnWriteArrayList<>();
  private final AtomicBoolean reconnecting = new AtomicBoolean();
  private volatile RedisConnection connection;
  private volatile boolean ready;
  private volatile boolean closed;
  /** Whether a subscriber connection had every channel once: a later one is a reconnection. */
  private volatile boolean everConnected;

  private RedisBus(Vertx vertx, RedisLink redis) {
    this.vertx = vertx;
    this.redis = redis;
    this.consumers = new LocalConsumers(vertx);
  }

  /**
   * A bus over {@code redis}. The future completes after the first attempt to connect, whether or
   * not it succeeded: a node may start while Redis is down, not ready, and keeps trying.
   */
  public static Future<RedisBus> start(Vertx vertx, RedisLink redis) {
    RedisBus bus = new RedisBus(vertx, redis);
    return bus.connect().transform(attempt -> {
      if (attempt.failed()) {
        bus.reconnect(RelayLimits.REDIS_FIRST_RETRY.toMillis());
      }
      return Future.succeededFuture(bus);
    });
  }

  @Override
  public Future<Subscription> subscribe(String channel, Consumer<String> handler) {
    MessageConsumer<String> consumer;
    Future<Void> subscribed;
    synchronized (this) {
      consumer = consumers.add(channel, handler);
      subscribed = subscriptions.get(channel);
      if (subscribed == null) {
        subscribed = track(channel, ssubscribe(channel));
      }
    }
    Subscription subscription = () -> unsubscribe(channel, consumer);
    return onCallerContext(Future.all(consumer.completion(), subscribed))
        .<Subscription>map(v -> subscription)
        .onFailure(e -> subscription.unsubscribe());
  }

  private Future<Void> unsubscribe(String channel, MessageConsumer<String> consumer) {
    synchronized (this) {
      if (!consumers.remove(channel, consumer)) {
        return Future.succeededFuture();
      }
      subscriptions.remove(channel);
      RedisConnection subscriber = connection;
      if (subscriber == null) {
        return Future.succeededFuture();
      }
      leaving.merge(channel, 1, Integer::sum);
      return subscriber.send(Request.cmd(Command.SUNSUBSCRIBE).arg(channel)).mapEmpty();
    }
  }

  @Override
  public Future<Long> publish(String channel, String message) {
    return redis.send(Request.cmd(Command.SPUBLISH).arg(channel).arg(message)).map(Response::toLong);
  }

  @Override
  public Future<Long> claim(String number, long deviceId, String node) {
    return redis.eval(CLAIM, List.of(Channels.presence(number)), r -> r.arg(deviceId).arg(node)).map(Response::toLong);
  }

  @Override
  public Future<Long> newestClaim(String number, long deviceId) {
    return redis.send(Request.cmd(Command.HGET).arg(Channels.presence(number)).arg(deviceId))
        .map(claim -> claim == null ? 0L : Long.parseLong(claim.toString().split(" ", 2)[0]));
  }

  @Override
  public Future<Set<Long>> claimedDevices(String number) {
    return redis.send(Request.cmd(Command.HKEYS).arg(Channels.presence(number))).map(fields -> {
      Set<Long> devices = new HashSet<>();
      for (Response field : fields) {
        // The hash also holds the account's epoch counter, under a name that is no number.
        if (!field.toString().startsWith("#")) {
          devices.add(Long.parseLong(field.toString()));
        }
      }
      return devices;
    });
  }

  @Override
  public Future<Void> release(String number, long deviceId, long epoch) {
    return redis.eval(RELEASE, List.of(Channels.presence(number)), r -> r.arg(deviceId).arg(epoch)).mapEmpty();
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
    boolean again = everConnected;
    return redis.connectDedicated().compose(subscriber -> {
      if (closed) {
        subscriber.close();
        return Future.failedFuture("closed");
      }
      // The handler is set before the first SSUBSCRIBE, so no message arrives unhandled.
      subscriber.handler(this::onPush);
      subscriber.endHandler(v -> lost(subscriber, "connection ended"));
      subscriber.exceptionHandler(e -> lost(subscriber, e.toString()));
      List<Future<Void>> all = new ArrayList<>();
      synchronized (this) {
        connection = subscriber;
        for (String channel : List.copyOf(subscriptions.keySet())) {
          all.add(track(channel, ssubscribe(channel)));
        }
      }
      return Future.all(all).onFailure(e -> lost(subscriber, e.toString())).map(v -> {
        ready = true;
        if (again) {
          redis.metrics().redisReconnected(RelayMetrics.RedisConnection.SUBSCRIPTIONS);
        }
        everConnected = true;
        LOG.info("subscribed to Redis ({} channels)", all.size());
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
    redis.metrics().redisError(RelayMetrics.RedisError.CONNECTION);
    leaving.clear();
    subscriber.close();
    failConfirmations("the subscription connection to Redis was lost");
    if (!closed) {
      LOG.warn("subscription connection to Redis lost ({}); reconnecting", why);
      reconnect(RelayLimits.REDIS_FIRST_RETRY.toMillis());
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
        reconnect(Math.min(delayMs * 2, RelayLimits.REDIS_LAST_RETRY.toMillis()));
      }
    }));
  }

  /** Sends SSUBSCRIBE; completes when Redis confirms it (the confirmation arrives as a push). */
  private Future<Void> ssubscribe(String channel) {
    RedisConnection subscriber = connection;
    if (subscriber == null) {
      return Future.failedFuture(new IllegalStateException("Redis is unreachable; reconnecting"));
    }
    Promise<Void> confirmed = Promise.promise();
    confirmations.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(confirmed);
    long timeout = vertx.setTimer(RelayLimits.REDIS_SUBSCRIBE_TIMEOUT.toMillis(),
        id -> confirmed.tryFail("Redis did not confirm the subscription in time"));
    subscriber.send(Request.cmd(Command.SSUBSCRIBE).arg(channel)).onFailure(confirmed::tryFail);
    return confirmed.future().andThen(done -> vertx.cancelTimer(timeout));
  }

  /**
   * Records a channel's subscription. One that fails stays recorded while the channel has
   * listeners here: a failure means the connection is being renewed, and the next connection
   * subscribes every recorded channel. The last listener to leave removes it.
   */
  private Future<Void> track(String channel, Future<Void> subscribed) {
    subscriptions.put(channel, subscribed);
    return subscribed;
  }

  private void onPush(Response push) {
    if (push == null || push.size() < 2) {
      return;
    }
    String kind = push.get(0).toString();
    String channel = push.get(1).toString();
    if ("smessage".equals(kind) && push.size() >= 3) {
      consumers.deliver(channel, push.get(2).toString(UTF_8));
    } else if ("ssubscribe".equals(kind)) {
      List<Promise<Void>> waiting = confirmations.remove(channel);
      if (waiting != null) {
        waiting.forEach(Promise::tryComplete);
      }
    } else if ("sunsubscribe".equals(kind)) {
      RedisConnection subscriber = connection;
      if (!expectedLeave(channel) && subscriptions.containsKey(channel) && subscriber != null) {
        // Its slot moved to another master (resharding, failover). A new connection learns where
        // every slot is now, subscribes everything again, and the listeners re-check.
        lost(subscriber, "Redis moved a channel's slot");
      }
    }
  }

  /** Whether this node asked to leave the channel (and now no longer waits for that). */
  private boolean expectedLeave(String channel) {
    boolean[] asked = {false};
    leaving.computeIfPresent(channel, (c, count) -> {
      asked[0] = true;
      return count == 1 ? null : count - 1;
    });
    return asked[0];
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
