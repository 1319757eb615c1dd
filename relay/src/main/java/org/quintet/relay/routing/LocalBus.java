package org.quintet.relay.routing;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** The bus of a relay that runs alone: the Vert.x event bus of this process; nothing is lost. */
public final class LocalBus implements NodeBus {
  private final LocalConsumers consumers;
  /** Number → device id → the epoch of its claim. */
  private final Map<String, Map<Long, Long>> claims = new ConcurrentHashMap<>();
  private final AtomicLong epochs = new AtomicLong();

  public LocalBus(Vertx vertx) {
    this.consumers = new LocalConsumers(vertx);
  }

  @Override
  public Future<Subscription> subscribe(String channel, Consumer<String> handler) {
    MessageConsumer<String> consumer = consumers.add(channel, handler);
    return consumer.completion().map(v -> () -> {
      consumers.remove(channel, consumer);
      return Future.succeededFuture();
    });
  }

  @Override
  public Future<Long> publish(String channel, String message) {
    long listeners = consumers.count(channel);
    if (listeners > 0) {
      consumers.deliver(channel, message);
    }
    return Future.succeededFuture(listeners);
  }

  @Override
  public Future<Long> claim(String number, long deviceId, String node) {
    long epoch = epochs.incrementAndGet();
    claims.compute(number, (n, devices) -> {
      Map<Long, Long> held = devices == null ? new ConcurrentHashMap<>() : devices;
      held.put(deviceId, epoch);
      return held;
    });
    return Future.succeededFuture(epoch);
  }

  @Override
  public Future<Long> newestClaim(String number, long deviceId) {
    return Future.succeededFuture(claims.getOrDefault(number, Map.of()).getOrDefault(deviceId, 0L));
  }

  @Override
  public Future<Set<Long>> claimedDevices(String number) {
    return Future.succeededFuture(Set.copyOf(claims.getOrDefault(number, Map.of()).keySet()));
  }

  @Override
  public Future<Void> release(String number, long deviceId, long epoch) {
    claims.computeIfPresent(number, (n, devices) -> {
      devices.remove(deviceId, epoch);
      return devices.isEmpty() ? null : devices;
    });
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
    return Future.succeededFuture();
  }
}
