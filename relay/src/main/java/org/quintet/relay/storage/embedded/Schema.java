package org.quintet.relay.storage.embedded;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The database layout. A database made by this class carries its version in
 * {@code schema_version}; opening a database of another version fails rather than guessing.
 */
final class Schema {
  static final int VERSION = 3;

  /** Version 1, as the first relays made it; a new database gets it and every step after it. */
  static final List<String> VERSION_1 = List.of(
      // nextDeviceId lives here because the account row outlives a re-registration of the number.
      """
      CREATE TABLE accounts (
        number TEXT PRIMARY KEY,
        account_key BLOB NOT NULL,
        device_list BLOB NOT NULL,
        device_list_version INTEGER NOT NULL,
        next_device_id INTEGER NOT NULL,
        registered_at INTEGER NOT NULL
      ) WITHOUT ROWID""",
      // The signed prekey is one per device and goes with the device row.
      """
      CREATE TABLE devices (
        number TEXT NOT NULL,
        device_id INTEGER NOT NULL,
        identity_key BLOB NOT NULL,
        registration_id INTEGER NOT NULL,
        cert BLOB NOT NULL,
        name TEXT,
        platform TEXT,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        signed_prekey BLOB,
        PRIMARY KEY (number, device_id)
      ) WITHOUT ROWID""",
      // id keeps upload order, so the oldest one-time prekey is handed out first.
      """
      CREATE TABLE one_time_prekeys (
        id INTEGER PRIMARY KEY,
        number TEXT NOT NULL,
        device_id INTEGER NOT NULL,
        prekey BLOB NOT NULL
      )""",
      "CREATE INDEX one_time_prekeys_by_device ON one_time_prekeys (number, device_id, id)",
      // AUTOINCREMENT: a seq is never reused, not even after the newest envelope was acknowledged,
      // so a device never sees a seq it already acknowledged name a different envelope.
      """
      CREATE TABLE envelopes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        number TEXT NOT NULL,
        device_id INTEGER NOT NULL,
        envelope BLOB NOT NULL,
        expires_at INTEGER NOT NULL
      )""",
      "CREATE INDEX envelopes_by_queue ON envelopes (number, device_id, seq)",
      "CREATE INDEX envelopes_by_expiry ON envelopes (expires_at)",
      """
      CREATE TABLE pending_verifications (
        number TEXT PRIMARY KEY,
        code_hash BLOB NOT NULL,
        salt BLOB NOT NULL,
        expires_at INTEGER NOT NULL,
        failed_attempts INTEGER NOT NULL,
        last_sent_at INTEGER NOT NULL
      ) WITHOUT ROWID""");

  /**
   * From version 1 to 2: what each queue holds, for the queue quota, and the log-in challenges
   * used up. Triggers keep {@code queue_usage} in step with {@code envelopes} inside every
   * transaction that inserts or deletes one, whichever statement does it (enqueue, acknowledge,
   * purge, removing a device, registering a number again), so the writer checks a quota with one
   * row read instead of a pass over the queue. A queue with nothing in it has no row.
   */
  private static final List<String> TO_VERSION_2 = List.of(
      """
      CREATE TABLE queue_usage (
        number TEXT NOT NULL,
        device_id INTEGER NOT NULL,
        envelopes INTEGER NOT NULL,
        bytes INTEGER NOT NULL,
        PRIMARY KEY (number, device_id)
      ) WITHOUT ROWID""",
      """
      INSERT INTO queue_usage (number, device_id, envelopes, bytes)
        SELECT number, device_id, count(*), sum(length(envelope)) FROM envelopes GROUP BY number, device_id""",
      """
      CREATE TRIGGER envelope_queued AFTER INSERT ON envelopes BEGIN
        INSERT INTO queue_usage (number, device_id, envelopes, bytes)
          VALUES (NEW.number, NEW.device_id, 1, length(NEW.envelope))
          ON CONFLICT (number, device_id) DO UPDATE
          SET envelopes = envelopes + 1, bytes = bytes + length(NEW.envelope);
      END""",
      """
      CREATE TRIGGER envelope_removed AFTER DELETE ON envelopes BEGIN
        UPDATE queue_usage SET envelopes = envelopes - 1, bytes = bytes - length(OLD.envelope)
          WHERE number = OLD.number AND device_id = OLD.device_id;
        DELETE FROM queue_usage WHERE number = OLD.number AND device_id = OLD.device_id AND envelopes <= 0;
      END""",
      // A challenge is a random 40 bytes the relay made; its row goes with the hourly purge.
      """
      CREATE TABLE used_challenges (
        challenge BLOB PRIMARY KEY,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID""",
      "CREATE INDEX used_challenges_by_expiry ON used_challenges (expires_at)");

  /**
   * From version 2 to 3: attachment blobs, whose bytes the blob store holds. The quota sums an
   * account's blobs by number; the sweep takes them by expiry.
   */
  private static final List<String> TO_VERSION_3 = List.of(
      """
      CREATE TABLE blobs (
        id TEXT PRIMARY KEY,
        number TEXT NOT NULL,
        device_id INTEGER NOT NULL,
        length INTEGER NOT NULL,
        offset INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) WITHOUT ROWID""",
      "CREATE INDEX blobs_by_number ON blobs (number, expires_at)",
      "CREATE INDEX blobs_by_expiry ON blobs (expires_at)");

  private Schema() {}

  /**
   * Creates the tables in an empty database, brings a database of an earlier version to this one (in
   * the same transaction: all of it or none), or checks the version of an existing one.
   */
  static void prepare(Connection connection) throws SQLException {
    Sql.execute(connection, "BEGIN IMMEDIATE");
    try {
      Sql.execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      Optional<Long> version = Sql.one(connection, "SELECT version FROM schema_version", row -> row.getLong(1));
      if (version.isEmpty()) {
        run(connection, VERSION_1);
        run(connection, TO_VERSION_2);
        run(connection, TO_VERSION_3);
        Sql.update(connection, "INSERT INTO schema_version (version) VALUES (?)", VERSION);
      } else if (version.get() < VERSION) {
        if (version.get() == 1) {
          run(connection, TO_VERSION_2);
        }
        run(connection, TO_VERSION_3);
        Sql.update(connection, "UPDATE schema_version SET version = ?", VERSION);
      } else if (version.get() != VERSION) {
        throw new SQLException("the database has schema version " + version.get() + ", this relay knows version "
            + VERSION);
      }
      Sql.execute(connection, "COMMIT");
    } catch (SQLException | RuntimeException e) {
      Sql.execute(connection, "ROLLBACK");
      throw e;
    }
  }

  private static void run(Connection connection, List<String> statements) throws SQLException {
    for (String statement : statements) {
      Sql.execute(connection, statement);
    }
  }
}
