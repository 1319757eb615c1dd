package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Saves the store from an event loop: the changes are taken at once (so they hold every change
 * made so far, sessions serialised on the thread that steps them), the blocking transaction runs
 * on a worker, and transactions run in the order they were asked for, so a newer row is never
 * overwritten by an older one.
 */
final class StoreWriter {
  private final Vertx vertx;
  private final LocalStore store;
  /** The last write asked for; writes run in order, so when it is done, all are. */
  private Future<Void> last = Future.succeededFuture();

  StoreWriter(Vertx vertx, LocalStore store) {
    this.vertx = vertx;
    this.store = store;
  }

  /**
   * Succeeds once what changed so far is durable. With nothing changed it still waits for the
   * writes before it: a caller that acknowledges after it relies on all of them.
   */
  Future<Void> save() {
    StoreChanges changes = store.pendingChanges();
    Future<Void> write = vertx.<Void>executeBlocking(() -> {
      store.write(changes);
      return null;
    }, true).onFailure(e -> store.writeFailed());
    last = write;
    return write;
  }

  /** Completes once every write asked for so far has ended (failed ones included: their callers were told). */
  Future<Void> idle() {
    return last.otherwiseEmpty();
  }
}
