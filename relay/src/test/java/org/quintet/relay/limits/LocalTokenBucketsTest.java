package org.quintet.relay.limits;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;

class LocalTokenBucketsTest extends TokenBucketsContractTest {
  @Override
  TokenBuckets open(Vertx vertx, Map<Limiter, RateLimit> limits, Clock clock) {
    return new LocalTokenBuckets(limits, clock);
  }
}
