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
  static final int VERSION = 1;

  private static final List<String> STATEMENTS = List.of(
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

  private Schema() {}

  /** Creates the tables in an empty database, or checks the version of an existing one. */
  static void prepare(Connection connection) throws SQLException {
    Sql.execute(connection, "BEGIN IMMEDIATE");
    try {
      Sql.execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
      Optional<Long> version = Sql.one(connection, "SELECT version FROM schema_version", row -> row.getLong(1));
      if (version.isEmpty()) {
        for (String statement : STATEMENTS) {
          Sql.execute(connection, statement);
        }
        Sql.update(connection, "INSERT INTO schema_version (version) VALUES (?)", VERSION);
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
}
