package org.quintet.relay.linking;

import io.vertx.core.Vertx;
import java.time.Duration;
import org.quintet.relay.TestClock;

/** The contract on one node's memory, with a clock the test moves. */
class MemoryLinkSessionsTest extends LinkSessionsContractTest {
  private final TestClock clock = new TestClock();

  @Override
  LinkSessions openEmpty(Vertx vertx) {
    return new MemoryLinkSessions(clock);
  }

  @Override
  void passTime(long millis) {
    clock.advance(Duration.ofMillis(millis));
  }
}
