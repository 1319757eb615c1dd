package org.quintet.relay;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent senders for the crash tests: real send requests (one message each, numbered) made
 * before the clock starts; then each lane posts the next one as soon as its last one was answered,
 * until stopped or the relay is gone, and every answer is recorded by the request's index.
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
  private final List<JsonObject> requests = new ArrayList<>();
  /** A request's index by its message id (base64), to tell which message a delivered envelope is. */
  private final Map<String, Integer> indexOf = new HashMap<>();

  private SendLanes(TestDevice sender) {
    this.sender = sender;
  }

  /** {@code count} requests from {@code sender} to {@code targets}, message i saying "message i". */
  static SendLanes prepare(TestDevice sender, List<TestDevice> targets, int count) throws Exception {
    SendLanes sending = new SendLanes(sender);
    for (int i = 0; i < count; i++) {
      byte[] messageId = TestDevice.messageId();
      sending.indexOf.put(TestDevice.b64(messageId), i);
      sending.requests.add(sender.sendRequest(messageId, "message " + i, targets));
    }
    return sending;
  }

  /** The index of the request that carried this message id (base64); null for a message not sent here. */
  Integer indexOf(String messageId) {
    return indexOf.get(messageId);
  }

  SendLanes start(int lanes) {
    for (int lane = 0; lane < lanes; lane++) {
      Promise<Void> done = Promise.promise();
      sendNext(done);
      this.lanes.add(done.future());
    }
    return this;
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
