package org.quintet.relay;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent senders for the crash tests: each lane posts the next of the prepared send requests
 * as soon as its last one was answered, until stopped or the relay is gone, and every answer is
 * recorded by the request's index.
 */
final class SendLanes {
  final Set<Integer> attempted = ConcurrentHashMap.newKeySet();
  /** Requests the relay answered with 200: these must never be lost. */
  final Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
  /** Requests that got no answer (the connection broke). */
  final AtomicInteger failed = new AtomicInteger();
  /** Requests answered with anything but 200. */
  final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final List<Future<Void>> lanes = new ArrayList<>();
  private final TestDevice sender;
  private final List<JsonObject> requests;

  private SendLanes(TestDevice sender, List<JsonObject> requests) {
    this.sender = sender;
    this.requests = requests;
  }

  static SendLanes start(TestDevice sender, List<JsonObject> requests, int lanes) {
    SendLanes sending = new SendLanes(sender, requests);
    for (int lane = 0; lane < lanes; lane++) {
      Promise<Void> done = Promise.promise();
      sending.sendNext(done);
      sending.lanes.add(done.future());
    }
    return sending;
  }

  /** How many requests were taken by a lane so far. */
  int taken() {
    return next.get();
  }

  /** Stops every lane after its request in flight, and waits for them. */
  void stop() throws Exception {
    stopping.set(true);
    for (Future<Void> lane : lanes) {
      TestRelay.await(lane);
    }
  }

  private void sendNext(Promise<Void> done) {
    int index = next.getAndIncrement();
    if (stopping.get() || index >= requests.size()) {
      done.tryComplete();
      return;
    }
    attempted.add(index);
    sender.postAsync("/v1/messages", requests.get(index), true).onComplete(result -> {
      if (result.failed()) {
        failed.incrementAndGet();
        done.tryComplete();
        return;
      }
      if (result.result().statusCode() == 200) {
        acknowledged.add(index);
      } else {
        refused.incrementAndGet();
      }
      sendNext(done);
    });
  }
}
