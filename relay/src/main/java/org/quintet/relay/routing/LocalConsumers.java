package org.quintet.relay.routing;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The node's side of every channel: consumers on the Vert.x event bus, each on the event loop
 * that registered it, so a message reaches every socket-holding loop of this node that listens
 * on the channel. Counts consumers per channel, so a bus knows when a channel gains its first
 * listener here or loses its last.
 */
final class LocalConsumers {
  private final Vertx vertx;
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  LocalConsumers(Vertx vertx) {
    this.vertx = vertx;
  }

  /** A consumer that will hear {@code channel}; registering it happens on the caller's context. */
  MessageConsumer<String> add(String channel, Consumer<String> handler) {
    counts.computeIfAbsent(channel, c -> new AtomicInteger()).incrementAndGet();
    return vertx.eventBus().<String>localConsumer(address(channel), message -> handler.accept(message.body()));
  }

  /** Unregisters; true when it was the channel's last consumer here (known at once, not when unregistered). */
  boolean remove(String channel, MessageConsumer<String> consumer) {
    consumer.unregister();
    return counts.computeIfPresent(channel, (c, count) -> count.decrementAndGet() == 0 ? null : count) == null;
  }

  int count(String channel) {
    AtomicInteger count = counts.get(channel);
    return count == null ? 0 : count.get();
  }

  Set<String> channels() {
    return counts.keySet();
  }

  /** Hands a message to this node's consumers of the channel. */
  void deliver(String channel, String message) {
    vertx.eventBus().publish(address(channel), message);
  }

  private static String address(String channel) {
    return "quintet.channel." + channel;
  }
}
