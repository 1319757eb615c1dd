package org.quintet.relay.limits;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.quintet.relay.api.ApiError;
import org.quintet.relay.api.ApiException;
import org.quintet.relay.metrics.RelayMetrics;

/**
 * The rate limiters a request passes before it does anything. A request takes one token from each
 * limiter it names, in the order named; the first limiter without a token refuses it with
 * {@code 429 RATE_LIMITED} and the wait, the tokens already taken are given back, and the request
 * changes nothing: a refused request neither costs its client's other budgets nor uses up a
 * number's. Name the limiters that key on what the client chooses freely (its address, its
 * device) first, so that a client refused there never touches the buckets of the numbers it names.
 */
public final class RateLimiters {
  /** The key of the limiters that count for the whole relay. */
  public static final String EVERYONE = "all";

  private final TokenBuckets buckets;
  private final ClientIp clientIp;
  private final Clock clock;
  private final RelayMetrics metrics;

  public RateLimiters(TokenBuckets buckets, ClientIp clientIp, Clock clock, RelayMetrics metrics) {
    this.buckets = buckets;
    this.clientIp = clientIp;
    this.clock = clock;
    this.metrics = metrics;
  }

  /** The key of the client that made {@code request}, for the limiters that count per address. */
  public String client(HttpServerRequest request) {
    return clientIp.of(request);
  }

  /** Succeeds when every limiter had a token (and took it); else fails with the refusal. */
  public Future<Void> check(Limiter.Take... takes) {
    return take(List.of(takes), 0, new ArrayList<>());
  }

  private Future<Void> take(List<Limiter.Take> takes, int next, List<Limiter.Take> taken) {
    if (next == takes.size()) {
      return Future.succeededFuture();
    }
    Limiter.Take take = takes.get(next);
    return buckets.take(take.limiter(), take.key(), clock.millis()).compose(waitMillis -> {
      if (waitMillis == 0) {
        taken.add(take);
        return take(takes, next + 1, taken);
      }
      metrics.rateLimited(take.limiter());
      List<Future<Void>> givenBack = new ArrayList<>();
      for (Limiter.Take earlier : taken) {
        givenBack.add(buckets.giveBack(earlier.limiter(), earlier.key(), clock.millis()));
      }
      // The refusal waits for the tokens to be back, so the next request finds them; a failure to
      // give one back costs the client a token, never the refusal.
      return Future.join(givenBack).transform(v -> Future.failedFuture(refusal(take.limiter(), waitMillis)));
    });
    // Without its counters (Redis unreachable) a request fails (500) rather than passing unlimited:
    // a limit that failed open would be no limit while Redis is down, and the node's other calls to
    // Redis fail then too.
  }

  /**
   * Gives back the tokens of a request that was let through but came to nothing the client could
   * use (the SMS gateway failed): it must not count against the next try.
   */
  public Future<Void> giveBack(Limiter.Take... takes) {
    List<Future<Void>> givenBack = new ArrayList<>();
    for (Limiter.Take take : takes) {
      givenBack.add(buckets.giveBack(take.limiter(), take.key(), clock.millis()));
    }
    return Future.join(givenBack).mapEmpty();
  }

  /** {@code 429 RATE_LIMITED} with the whole seconds to wait; the relay adds the same as {@code Retry-After}. */
  public static ApiException refusal(Limiter limiter, long waitMillis) {
    return new ApiException(ApiError.RATE_LIMITED, "too many requests (" + limiter.setting() + "); try again in "
        + retryAfterSeconds(waitMillis) + " s", new JsonObject().put("retryAfterSeconds", retryAfterSeconds(waitMillis)));
  }

  public static long retryAfterSeconds(long waitMillis) {
    return Math.max(1, (waitMillis + 999) / 1000);
  }
}
