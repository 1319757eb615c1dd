package org.quintet.relay.routing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** The bus of a relay that runs alone: every subscriber is in this process, nothing is lost. */
public final class LocalBus implements NodeBus {
  private record Subscriber(Consumer<String> handler, Context context) {}

  private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
  private final Map<String, Long> claims = new ConcurrentHashMap<>();
  private final AtomicLong epochs = new AtomicLong();

  @Override
  public Future<Void> subscribe(String channel, Consumer<String> handler) {
    subscribers.put(channel, new Subscriber(handler, Vertx.currentContext()));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> unsubscribe(String channel) {
    subscribers.remove(channel);
    return Future.succeededFuture();
  }

  @Override
  public Future<Long> publish(String channel, String message) {
    Subscriber subscriber = subscribers.get(channel);
    if (subscriber == null) {
      return Future.succeededFuture(0L);
    }
    if (subscriber.context() == null || subscriber.context() == Vertx.currentContext()) {
      subscriber.handler().accept(message);
    } else {
      subscriber.context().runOnContext(v -> subscriber.handler().accept(message));
    }
    return Future.succeededFuture(1L);
  }

  @Override
  public Future<Long> claim(String number, long deviceId, String node) {
    long epoch = epochs.incrementAndGet();
    claims.put(number + "/" + deviceId, epoch);
    return Future.succeededFuture(epoch);
  }

  @Override
  public Future<Long> newestClaim(String number, long deviceId) {
    return Future.succeededFuture(claims.getOrDefault(number + "/" + deviceId, 0L));
  }

  @Override
  public Future<Void> release(String number, long deviceId, long epoch) {
    claims.remove(number + "/" + deviceId, epoch);
    return Future.succeededFuture();
  }

  @Override
  public boolean lossy() {
    return false;
  }

  @Override
  public void onResubscribed(Runnable action) {
    // never disconnected
  }

  @Override
  public boolean ready() {
    return true;
  }

  @Override
  public Future<Void> close() {
    subscribers.clear();
    return Future.succeededFuture();
  }
}
