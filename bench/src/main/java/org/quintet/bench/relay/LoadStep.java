package org.quintet.bench.relay;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import java.util.List;

/**
 * Offers messages at a fixed rate (open loop, paced every millisecond from one event loop,
 * which is also where the sessions are used) for a warm-up and a measured window, then waits
 * for the window's envelopes to arrive. A send is skipped while too many are in flight, so an
 * overloaded server shows as a sent rate below the target rather than as unbounded queues here.
 */
final class LoadStep {
  private static final int MAX_IN_FLIGHT = 512;
  private static final long GRACE_NANOS = 3_000_000_000L;
  private final Vertx vertx;
  private final Context context;
  private final Endpoint endpoint;
  private final List<Conversation> conversations;
  private final Deliveries deliveries;
  private int inFlight;
  private long failed;
  private long sentInWindow;
  private int next;

  LoadStep(Vertx vertx, Context context, Endpoint endpoint, List<Conversation> conversations,
      Deliveries deliveries) {
    this.vertx = vertx;
    this.context = context;
    this.endpoint = endpoint;
    this.conversations = conversations;
    this.deliveries = deliveries;
  }

  Future<Step> run(String endpoint, double rate, double warmSeconds, double measureSeconds) {
    Promise<Step> done = Promise.promise();
    context.runOnContext(v -> {
      long start = System.nanoTime();
      long windowStart = start + (long) (warmSeconds * 1e9);
      long windowEnd = windowStart + (long) (measureSeconds * 1e9);
      deliveries.window(windowStart, windowEnd);
      long[] sent = {0};
      vertx.setPeriodic(1, timer -> {
        long now = System.nanoTime();
        if (now >= windowEnd) {
          vertx.cancelTimer(timer);
          vertx.setTimer(GRACE_NANOS / 1_000_000, t -> done.complete(result(endpoint, rate, measureSeconds)));
          return;
        }
        long due = (long) ((now - start) / 1e9 * rate) - sent[0];
        for (long i = 0; i < due; i++) {
          sent[0]++;
          if (inFlight < MAX_IN_FLIGHT) {
            send(now, now >= windowStart);
          }
        }
      });
    });
    return done.future();
  }

  private void send(long now, boolean inWindow) {
    Conversation conversation = conversations.get(next++ % conversations.size());
    try {
      inFlight++;
      if (inWindow) {
        sentInWindow++;
      }
      Device sender = conversation.sender();
      endpoint.http(sender).send(HttpMethod.POST, "/v1/messages", sender.token, conversation.message(now))
          .onComplete(answer -> {
            inFlight--;
            if (answer.failed()) {
              failed++;
            }
          });
    } catch (Exception e) {
      inFlight--;
      failed++;
    }
  }

  private Step result(String endpoint, double rate, double measureSeconds) {
    long[] latencies = deliveries.windowLatencies();
    Step step = new Step(endpoint, rate, sentInWindow / measureSeconds, latencies.length / measureSeconds,
        Deliveries.percentileMs(latencies, 0.50), Deliveries.percentileMs(latencies, 0.99),
        Deliveries.percentileMs(latencies, 0.999), failed);
    sentInWindow = 0;
    failed = 0;
    return step;
  }
}
