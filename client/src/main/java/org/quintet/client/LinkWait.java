package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A primary's wait for the relay's linking events, bounded by the linking timeout: it watches
 * from {@link #start} until it completes, fails, times out, or the delivery connection closes.
 * Used on the client's event loop only.
 */
abstract class LinkWait<T> implements LinkEvents.Watcher {
  private final Vertx vertx;
  private final LinkEvents events;
  private final Promise<T> result = Promise.promise();

  LinkWait(Vertx vertx, LinkEvents events) {
    this.vertx = vertx;
    this.events = events;
  }

  /** Starts watching; the future ends with the wait. {@code timedOut} says, at the time, why it ended. */
  Future<T> start(Duration timeout, Supplier<String> timedOut) {
    events.watch(this);
    long timer = vertx.setTimer(timeout.toMillis(),
        id -> fail(new LinkingException(LinkingException.Reason.TIMED_OUT, timedOut.get())));
    return result.future().onComplete(done -> {
      events.unwatch(this);
      vertx.cancelTimer(timer);
    });
  }

  void complete(T value) {
    result.tryComplete(value);
  }

  void fail(Throwable error) {
    result.tryFail(error);
  }

  boolean isDone() {
    return result.future().isComplete();
  }

  @Override
  public void onConnectionLost(ConnectionClosed closed) {
    fail(closed.loggedOut() ? new NotRegisteredException(closed.description())
        : new LinkingException(LinkingException.Reason.ENDED,
            "the delivery connection closed before the device was linked (" + closed.description() + ")"));
  }
}
