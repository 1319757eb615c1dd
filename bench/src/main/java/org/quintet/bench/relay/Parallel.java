package org.quintet.bench.relay;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Runs an asynchronous step for every item, at most {@code width} at a time; fails on the first failure. */
final class Parallel {
  private Parallel() {}

  static <T> Future<Void> each(List<T> items, int width, Function<T, Future<?>> step) {
    Promise<Void> done = Promise.promise();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    if (items.isEmpty()) {
      return Future.succeededFuture();
    }
    Runnable[] pump = new Runnable[1];
    pump[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= items.size()) {
        return;
      }
      step.apply(items.get(i)).onComplete(result -> {
        if (result.failed()) {
          done.tryFail(result.cause());
        } else if (finished.incrementAndGet() == items.size()) {
          done.tryComplete();
        } else {
          pump[0].run();
        }
      });
    };
    for (int i = 0; i < Math.min(width, items.size()); i++) {
      pump[0].run();
    }
    return done.future();
  }
}
