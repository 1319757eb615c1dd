package org.quintet.client;

import io.vertx.core.Future;

/** Lets the steps of a future chain throw checked exceptions (protocol refusals) as failures. */
final class Futures {
  private Futures() {}

  /** A step of a chain that may throw. */
  @FunctionalInterface
  interface Step<T> {
    T run() throws Exception;
  }

  /** The future a step returns, or a failed one with what it threw. */
  static <T> Future<T> of(Step<Future<T>> step) {
    try {
      return step.run();
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  /** The value a step computes as a future, or a failed one with what it threw. */
  static <T> Future<T> value(Step<T> step) {
    try {
      return Future.succeededFuture(step.run());
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }
}
