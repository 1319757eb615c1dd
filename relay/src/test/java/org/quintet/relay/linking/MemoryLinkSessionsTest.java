package org.quintet.relay.linking;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** The contract on one node's memory, with a clock the test moves. */
class MemoryLinkSessionsTest extends LinkSessionsContractTest {
  private final AtomicLong now = new AtomicLong(1_000_000);

  @Override
  LinkSessions openEmpty(Vertx vertx) {
    return new MemoryLinkSessions(new Clock() {
      @Override
      public long millis() {
        return now.get();
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
    });
  }

  @Override
  void passTime(long millis) {
    now.addAndGet(millis);
  }
}
