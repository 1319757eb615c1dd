package org.quintet.relay.storage.embedded;

import java.sql.Connection;
import java.sql.SQLException;

/** The {@code used_challenges} table: log-in challenges already exchanged for a token. */
final class ChallengeTable {
  private ChallengeTable() {}

  /** Records the challenge as used; true when it was not already (the primary key decides). */
  static boolean use(Connection connection, byte[] challenge, long expiresAt) throws SQLException {
    return Sql.update(connection, "INSERT OR IGNORE INTO used_challenges (challenge, expires_at) VALUES (?, ?)",
        challenge, expiresAt) == 1;
  }

  static void deleteExpired(Connection connection, long now) throws SQLException {
    Sql.update(connection, "DELETE FROM used_challenges WHERE expires_at <= ?", now);
  }
}
