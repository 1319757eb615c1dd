package org.quintet.relay.metrics;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import org.quintet.relay.storage.RelayStorage;

/**
 * The number of envelopes waiting in storage, for every device. Counting them costs a pass over
 * the queues (SQLite: a count over the envelope table; Redis: one ZCARD per number with queued
 * envelopes), so it is counted when a scrape asks for it and the last count is older than
 * {@code interval}, never on a timer of its own: a node nobody scrapes does no such work. On Redis
 * the count is the cluster's, the same on every node.
 */
public final class QueueDepth {
  private final RelayStorage storage;
  private final Clock clock;
  private final long intervalMillis;
  /** NaN until the first count: Prometheus then shows no value rather than a false zero. */
  private volatile double depth = Double.NaN;
  private long countedAt = Long.MIN_VALUE;
  private Future<Void> counting;

  public QueueDepth(RelayStorage storage, Clock clock, Duration interval) {
    this.storage = storage;
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
  }

  /** The last count. */
  public double value() {
    return depth;
  }

  /**
   * Counts again when the last count is older than the interval; completes when the count is in
   * (at once when none is due). One count at a time: scrapes that come meanwhile share it. Runs on
   * the event loop of the scrapes.
   */
  public Future<Void> refreshIfDue() {
    if (counting != null) {
      return counting;
    }
    long now = clock.millis();
    if (countedAt != Long.MIN_VALUE && now - countedAt < intervalMillis) {
      return Future.succeededFuture();
    }
    Future<Void> count = storage.queuedEnvelopes().map(envelopes -> {
      depth = envelopes;
      countedAt = now;
      return (Void) null;
    });
    counting = count;
    // Also when the count is already done (a storage that refuses at once): then this runs here.
    count.onComplete(done -> {
      if (counting == count) {
        counting = null;
      }
    });
    return count;
  }
}
