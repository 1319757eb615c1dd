package org.quintet.relay.storage.embedded;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One storage call on its way to a database thread. The thread runs it, keeps the outcome, and
 * delivers it later: the writer only after the commit that holds the change, so a caller never
 * sees a success that is not yet on disk. Delivery happens on the caller's Vert.x context, so the
 * future's callbacks run where the caller expects them, never on a database thread.
 */
final class Job<T> {
  /** Queued behind the last job to tell a database thread that nothing more will come. */
  static final Job<Void> END = new Job<>(connection -> null, null);

  private static final Logger log = LoggerFactory.getLogger(Job.class);

  private final SqlWork<T> work;
  private final Context context;
  private final Promise<T> promise = Promise.promise();
  private T result;
  private Throwable failure;

  Job(SqlWork<T> work, Context context) {
    this.work = work;
    this.context = context;
  }

  Future<T> future() {
    return promise.future();
  }

  /** Runs the work and keeps its outcome; returns false when it failed. */
  boolean attempt(Connection connection) {
    try {
      result = work.run(connection);
      failure = null;
      return true;
    } catch (SQLException | RuntimeException e) {
      failWith(e);
      return false;
    }
  }

  /** Replaces the outcome with a failure (the transaction that held the work did not commit). */
  void failWith(Throwable cause) {
    result = null;
    failure = cause;
  }

  /** Fails jobs that will never run (their thread had to stop) and delivers the failure. */
  static void abandon(List<Job<?>> jobs, Throwable cause) {
    for (Job<?> job : jobs) {
      job.failWith(cause);
      job.deliver();
    }
  }

  /** Completes the caller's future with the kept outcome, on the caller's context. */
  void deliver() {
    T value = result;
    Throwable cause = failure;
    try {
      context.runOnContext(ignored -> {
        if (cause == null) {
          promise.complete(value);
        } else {
          promise.fail(cause);
        }
      });
    } catch (RejectedExecutionException e) {
      // The caller's Vert.x was closed before the storage: nobody is left to tell, and the
      // database thread must go on with the other jobs.
      log.debug("an outcome was dropped: the caller's Vert.x instance is closed");
    }
  }
}
