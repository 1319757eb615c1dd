package org.quintet.client;

import java.time.Duration;

/**
 * How a primary links a device: how long it waits for the companion, and how many days of its
 * history it sends the companion afterwards (0: none).
 */
public record LinkOptions(Duration timeout, int historyDays) {
  public static final LinkOptions DEFAULT = new LinkOptions(Duration.ofMinutes(2), 30);

  public LinkOptions {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the linking timeout must be positive");
    }
    if (historyDays < 0) {
      throw new IllegalArgumentException("the history is 0 days or more");
    }
  }
}
