package org.quintet.relay.storage.embedded;

import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.quintet.relay.RelayLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only thread that writes. It takes whatever writes are waiting (up to {@link RelayLimits#SQLITE_MAX_WRITES_PER_COMMIT}),
 * runs each inside its own savepoint of one transaction, commits once, and only then completes the
 * callers' futures. While one commit waits for the disk, the next batch gathers in the queue, so
 * the number of disk syncs follows the disk's speed rather than the number of writes.
 *
 * <p>Each write is atomic on its own: one that fails or is refused is rolled back to its savepoint
 * and the others in the batch still commit. If the commit itself fails, the batch is run again
 * with one transaction per write, so a write that breaks the transaction only fails itself.
 *
 * <p>Deleted data does not linger: the connection runs with {@code secure_delete}, so a deleted
 * envelope's bytes are overwritten with zeros in the pages that held it, but the WAL still holds
 * the pages as they were. So once the writer has been quiet for {@link RelayLimits#SQLITE_SCRUB_DELAY}
 * after a commit, and at least every {@link RelayLimits#SQLITE_SCRUB_INTERVAL} while writes keep
 * coming, it empties the WAL into the database and truncates it to nothing ({@link #scrub}).
 */
final class GroupCommitWriter implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  private final Connection connection;
  private final JobQueue queue;
  private final Runnable onExit;
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong scrubs = new AtomicLong();
  /** Whether a commit was made since the WAL was last emptied ({@link #scrub}). */
  private boolean unscrubbed;
  private long lastScrub = System.nanoTime();
  /** The time of each batch, from BEGIN to COMMIT and its disk sync (or to the last write run alone). */
  private final Timer commitTime;

  GroupCommitWriter(Connection connection, JobQueue queue, Runnable onExit, Timer commitTime) {
    this.connection = connection;
    this.queue = queue;
    this.onExit = onExit;
    this.commitTime = commitTime;
  }

  /** How many transactions were committed so far. */
  long commits() {
    return commits.get();
  }

  @Override
  public void run() {
    try {
      while (true) {
        List<Job<?>> batch = unscrubbed
            ? queue.takeBatch(RelayLimits.SQLITE_MAX_WRITES_PER_COMMIT, RelayLimits.SQLITE_SCRUB_DELAY.toNanos())
            : queue.takeBatch(RelayLimits.SQLITE_MAX_WRITES_PER_COMMIT);
        if (batch == null) {
          scrub();
          continue;
        }
        if (batch.isEmpty()) {
          break;
        }
        commit(batch);
        if (unscrubbed && System.nanoTime() - lastScrub >= RelayLimits.SQLITE_SCRUB_INTERVAL.toNanos()) {
          scrub();
        }
      }
    } catch (InterruptedException e) {
      Job.abandon(queue.closeAndDrain(), new IllegalStateException("the storage writer was interrupted"));
    } finally {
      Connections.close(connection);
      onExit.run();
    }
  }

  private void commit(List<Job<?>> batch) {
    long started = System.nanoTime();
    try {
      Sql.execute(connection, "BEGIN IMMEDIATE");
      for (Job<?> job : batch) {
        Sql.execute(connection, "SAVEPOINT job");
        if (!job.attempt(connection)) {
          Sql.execute(connection, "ROLLBACK TO job");
        }
        Sql.execute(connection, "RELEASE job");
      }
      Sql.execute(connection, "COMMIT");
      commits.incrementAndGet();
      unscrubbed = true;
    } catch (SQLException e) {
      // Some errors (a full disk, an I/O error) end the whole transaction, not just a statement.
      rollback();
      log.warn("a group commit of {} writes failed; running them one by one", batch.size(), e);
      batch.forEach(this::commitAlone);
    }
    commitTime.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    batch.forEach(Job::deliver);
  }

  private void commitAlone(Job<?> job) {
    try {
      Sql.execute(connection, "BEGIN IMMEDIATE");
      if (job.attempt(connection)) {
        Sql.execute(connection, "COMMIT");
        commits.incrementAndGet();
        unscrubbed = true;
      } else {
        Sql.execute(connection, "ROLLBACK");
      }
    } catch (SQLException e) {
      rollback();
      job.failWith(e);
    }
  }

  /**
   * Copies the WAL into the database and truncates it to zero bytes, so that the pages deleted
   * data was in exist only as overwritten. A reader in the middle of a query holds the WAL for
   * that long: the writer waits {@link RelayLimits#SQLITE_SCRUB_BUSY_WAIT} at most, and otherwise
   * tries again after its next commit or quiet spell.
   */
  private void scrub() {
    lastScrub = System.nanoTime();
    try {
      Sql.execute(connection, "PRAGMA busy_timeout = " + RelayLimits.SQLITE_SCRUB_BUSY_WAIT.toMillis());
      try {
        if (Sql.one(connection, "PRAGMA wal_checkpoint(TRUNCATE)", row -> row.getInt(1) == 0).orElse(false)) {
          unscrubbed = false;
          scrubs.incrementAndGet();
        }
      } finally {
        Sql.execute(connection, "PRAGMA busy_timeout = " + RelayLimits.SQLITE_BUSY_TIMEOUT.toMillis());
      }
    } catch (SQLException e) {
      log.warn("emptying the WAL failed (tried again later): {}", e.getMessage());
    }
  }

  /** How many times the WAL was emptied so far. */
  long scrubs() {
    return scrubs.get();
  }

  private void rollback() {
    try {
      Sql.execute(connection, "ROLLBACK");
    } catch (SQLException e) {
      // SQLite ends the transaction itself on some errors; then there is nothing left to undo.
      log.debug("nothing to roll back: {}", e.getMessage());
    }
  }
}
