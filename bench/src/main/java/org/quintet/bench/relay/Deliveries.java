package org.quintet.bench.relay;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the devices received: envelopes of messages sent inside the measurement window are
 * counted and their latency (receipt at the socket minus the send time in the message id) kept.
 * Delivery receipts (kind 3) are counted apart: the relay makes them, the forwarder does not.
 * Across several relay nodes, only envelopes that crossed from the sender's node to another are
 * timed, since those are the ones the cluster's routing carries.
 */
final class Deliveries {
  private final boolean crossNodeOnly;
  private final AtomicLong all = new AtomicLong();
  private final AtomicLong receipts = new AtomicLong();
  private long windowStart = Long.MAX_VALUE;
  private long windowEnd = Long.MAX_VALUE;
  private long[] latencies = new long[1 << 16];
  private int count;

  Deliveries() {
    this(false);
  }

  Deliveries(boolean crossNodeOnly) {
    this.crossNodeOnly = crossNodeOnly;
  }

  synchronized void window(long startNanos, long endNanos) {
    windowStart = startNanos;
    windowEnd = endNanos;
    count = 0;
  }

  void envelope(int kind, long sentNanos, long receivedNanos, boolean crossNode) {
    all.incrementAndGet();
    if (kind == 3) {
      receipts.incrementAndGet();
      return;
    }
    if (crossNodeOnly && !crossNode) {
      return;
    }
    synchronized (this) {
      if (sentNanos < windowStart || sentNanos >= windowEnd) {
        return;
      }
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, count * 2);
      }
      latencies[count++] = receivedNanos - sentNanos;
    }
  }

  /** Every envelope of any kind so far. */
  long total() {
    return all.get();
  }

  long receipts() {
    return receipts.get();
  }

  /** Envelopes of the window's messages delivered so far, and their sorted latencies. */
  synchronized long[] windowLatencies() {
    long[] sorted = Arrays.copyOf(latencies, count);
    Arrays.sort(sorted);
    return sorted;
  }

  static double percentileMs(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}
