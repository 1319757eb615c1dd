package org.quintet.relay.storage.embedded;

import java.sql.Connection;

/**
 * A thread that answers queries on its own read-only connection. WAL lets it read while the writer
 * writes; it sees every commit made before the query starts, so a caller that waited for a write
 * reads what it wrote.
 */
final class Reader implements Runnable {
  private final Connection connection;
  private final JobQueue queue;
  private final Runnable onExit;

  Reader(Connection connection, JobQueue queue, Runnable onExit) {
    this.connection = connection;
    this.queue = queue;
    this.onExit = onExit;
  }

  @Override
  public void run() {
    try {
      for (Job<?> job = queue.take(); job != Job.END; job = queue.take()) {
        job.attempt(connection);
        job.deliver();
      }
    } catch (InterruptedException e) {
      Job.abandon(queue.closeAndDrain(), new IllegalStateException("a storage reader was interrupted"));
    } finally {
      Connections.close(connection);
      onExit.run();
    }
  }
}
