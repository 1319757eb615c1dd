package org.quintet.relay.routing;

import io.vertx.core.Future;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How relay nodes reach each other: channels a node subscribes to and any node publishes on, and
 * the presence claims that keep one delivery connection per device. Within a node, messages go to
 * their listeners over the Vert.x event bus; between nodes, over Redis sharded pub/sub, with
 * claims in a per-account hash ({@link RedisBus}). A relay that runs alone uses the event bus
 * only ({@link LocalBus}).
 *
 * <p>A channel is a doorbell, not a queue: a message published while nobody listens is gone, and
 * in a cluster one can be lost while a node reconnects to Redis. Whatever must not be lost is
 * stored first; a message only tells a node to look ({@link #onResubscribed}).
 */
public interface NodeBus {

  /**
   * Listens on {@code channel}: the future completes when messages published from then on reach
   * {@code handler}, which runs on the caller's context (a consumer on the Vert.x event bus).
   * Several listeners of one node share one subscription of the node.
   */
  Future<Subscription> subscribe(String channel, Consumer<String> handler);

  /** One listener on a channel. */
  interface Subscription {
    Future<Void> unsubscribe();
  }

  /** Publishes to the nodes subscribed to {@code channel}; returns how many received it. */
  Future<Long> publish(String channel, String message);

  /**
   * Claims the delivery of a device for a new connection: returns the claim's epoch, higher than
   * every earlier claim of any device of the account. A connection whose claim is not the newest
   * is replaced.
   */
  Future<Long> claim(String number, long deviceId, String node);

  /** The epoch of the newest claim on the device, 0 when none. */
  Future<Long> newestClaim(String number, long deviceId);

  /**
   * The devices of the account that are claimed by a connection, on any node. A claim is withdrawn
   * when its connection closes; one of a node that died stays until its device connects again.
   */
  Future<Set<Long>> claimedDevices(String number);

  /** Withdraws the claim with this epoch, if it is still the newest. */
  Future<Void> release(String number, long deviceId, long epoch);

  /** Whether messages can be lost (a cluster can miss some while reconnecting to Redis). */
  boolean lossy();

  /** Runs {@code action} after a reconnect re-subscribed every channel: messages may have been missed. */
  void onResubscribed(Runnable action);

  /** False while the bus cannot carry messages (Redis unreachable, subscriptions not restored). */
  boolean ready();

  Future<Void> close();
}
