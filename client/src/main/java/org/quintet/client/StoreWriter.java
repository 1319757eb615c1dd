package org.quintet.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Saves the store from an event loop: the snapshot is taken at once (so it holds every change
 * made so far), the blocking write runs on a worker, and writes run in the order they were asked
 * for, so a newer state is never overwritten by an older one.
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

  Future<Void> save() {
    byte[] snapshot = store.snapshot();
    Future<Void> write = vertx.executeBlocking(() -> {
      store.write(snapshot);
      return null;
    }, true);
    last = write;
    return write;
  }

  /** Completes once every write asked for so far has ended (failed ones included: their callers were told). */
  Future<Void> idle() {
    return last.otherwiseEmpty();
  }
}
