package org.quintet.relay.storage.embedded;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import org.quintet.relay.storage.PendingVerification;

/** The {@code pending_verifications} table: at most one pending code per number. */
final class VerificationTable {
  private VerificationTable() {}

  static void put(Connection connection, PendingVerification pending) throws SQLException {
    Sql.update(connection, """
        INSERT OR REPLACE INTO pending_verifications
          (number, code_hash, salt, expires_at, failed_attempts, last_sent_at)
        VALUES (?, ?, ?, ?, ?, ?)""",
        pending.number(), pending.codeHash(), pending.salt(), pending.expiresAt(), pending.failedAttempts(),
        pending.lastSentAt());
  }

  static Optional<PendingVerification> find(Connection connection, String number) throws SQLException {
    return Sql.one(connection, """
        SELECT number, code_hash, salt, expires_at, failed_attempts, last_sent_at
        FROM pending_verifications WHERE number = ?""",
        row -> new PendingVerification(row.getString(1), row.getBytes(2), row.getBytes(3), row.getLong(4),
            row.getInt(5), row.getLong(6)),
        number);
  }

  /** Counts one wrong code; returns the wrong attempts so far, 0 when nothing is pending. */
  static int fail(Connection connection, String number) throws SQLException {
    Sql.update(connection,
        "UPDATE pending_verifications SET failed_attempts = failed_attempts + 1 WHERE number = ?", number);
    return Sql.one(connection, "SELECT failed_attempts FROM pending_verifications WHERE number = ?",
        row -> row.getInt(1), number).orElse(0);
  }

  static void deleteExpired(Connection connection, long now) throws SQLException {
    Sql.update(connection, "DELETE FROM pending_verifications WHERE expires_at <= ?", now);
  }

  static void delete(Connection connection, String number) throws SQLException {
    Sql.update(connection, "DELETE FROM pending_verifications WHERE number = ?", number);
  }
}
