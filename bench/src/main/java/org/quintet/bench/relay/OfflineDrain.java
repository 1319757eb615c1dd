package org.quintet.bench.relay;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.stream.IntStream;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.ProtocolException;

/**
 * {@code offline-drain}: one device gets {@code envelopes} messages queued through the API while it
 * is offline, then connects and acknowledges each envelope as it arrives (the relay sends at most
 * its window unacknowledged). Measured: envelopes per second from connecting to the last one.
 */
final class OfflineDrain {
  /** Sends in flight while queueing: enough to keep the relay's group commit full. */
  private static final int QUEUE_WIDTH = 128;
  private static final long TIMEOUT_NANOS = 600_000_000_000L;
  private final Vertx vertx;
  private final int envelopes;

  record Result(int envelopes, double queuedPerSecond, double drainedPerSecond) {
    JsonObject toJson() {
      return new JsonObject().put("envelopes", envelopes).put("queuedPerSecond", queuedPerSecond)
          .put("drainedPerSecond", drainedPerSecond);
    }
  }

  OfflineDrain(Vertx vertx, int envelopes) {
    this.vertx = vertx;
    this.envelopes = envelopes;
  }

  Future<Result> run(RelayEndpoint relay) throws ProtocolException {
    List<Account> accounts = Account.make(KeySource.secure(), 2, 0, 900_001);
    Conversation conversation = new Conversation(KeySource.secure(), accounts.get(0), accounts.get(1));
    Deliveries deliveries = new Deliveries();
    Context context = vertx.getOrCreateContext();
    Promise<Double> queued = Promise.promise();
    relay.provision(accounts).onSuccess(v -> context.runOnContext(run -> {
      long start = System.nanoTime();
      Parallel.each(IntStream.range(0, envelopes).boxed().toList(), QUEUE_WIDTH, i -> {
        try {
          return relay.http().send(HttpMethod.POST, "/v1/messages", conversation.sender().token,
              conversation.message(System.nanoTime()));
        } catch (ProtocolException e) {
          return Future.failedFuture(e);
        }
      }).map(done -> envelopes / ((System.nanoTime() - start) / 1e9)).onComplete(queued);
    })).onFailure(queued::fail);
    return queued.future().compose(queuedPerSecond -> {
      System.out.printf("  queued %d envelopes at %.0f/s%n", envelopes, queuedPerSecond);
      WebSocketClient sockets = vertx.createWebSocketClient(new WebSocketClientOptions());
      long start = System.nanoTime();
      return DeliverySocket.connect(sockets, relay.http().port(), accounts.get(1).primary(), deliveries)
          .compose(socket -> drained(deliveries, start))
          .map(seconds -> new Result(envelopes, queuedPerSecond, envelopes / seconds))
          .onComplete(done -> sockets.close());
    });
  }

  /** Seconds from {@code start} until every queued envelope arrived, polled every few milliseconds. */
  private Future<Double> drained(Deliveries deliveries, long start) {
    Promise<Double> done = Promise.promise();
    vertx.setPeriodic(2, timer -> {
      long now = System.nanoTime();
      if (deliveries.total() >= envelopes) {
        vertx.cancelTimer(timer);
        done.complete((now - start) / 1e9);
      } else if (now - start > TIMEOUT_NANOS) {
        vertx.cancelTimer(timer);
        done.fail("drained " + deliveries.total() + " of " + envelopes + " envelopes before the timeout");
      }
    });
    return done.future();
  }
}
