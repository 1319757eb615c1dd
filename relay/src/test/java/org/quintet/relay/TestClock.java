package org.quintet.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's clock in tests: the system's time plus an offset a test moves forward, so code
 * expiry, rate limits, token expiry and queue expiry can be tested without waiting. Timers of the
 * event loop still run on real time.
 */
public final class TestClock extends Clock {
  private final AtomicLong offsetMillis = new AtomicLong();

  public void advance(Duration by) {
    offsetMillis.addAndGet(by.toMillis());
  }

  @Override
  public long millis() {
    return System.currentTimeMillis() + offsetMillis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
