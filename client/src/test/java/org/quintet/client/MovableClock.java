package org.quintet.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The time as it is, plus however far a test moved it forward. */
final class MovableClock extends Clock {
  private volatile Duration ahead = Duration.ZERO;

  void advance(Duration by) {
    ahead = ahead.plus(by);
  }

  @Override
  public Instant instant() {
    return Instant.now().plus(ahead);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    // The relay reads instants only: any zone is this clock.
    return this;
  }
}
