package org.quintet.relay.storage.embedded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.quintet.relay.storage.QueuedEnvelope;
import org.quintet.relay.storage.StoredEnvelope;

/** The {@code envelopes} table: every device's queue, each ordered by seq. */
final class EnvelopeTable {
  private EnvelopeTable() {}

  static void append(Connection connection, List<QueuedEnvelope> envelopes) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO envelopes (number, device_id, envelope, expires_at) VALUES (?, ?, ?, ?)")) {
      for (QueuedEnvelope envelope : envelopes) {
        insert.setString(1, envelope.number());
        insert.setLong(2, envelope.deviceId());
        insert.setBytes(3, envelope.envelope());
        insert.setLong(4, envelope.expiresAt());
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  static List<StoredEnvelope> peek(Connection connection, String number, long deviceId, long afterSeq, int limit)
      throws SQLException {
    return Sql.all(connection, """
        SELECT seq, envelope, expires_at FROM envelopes
        WHERE number = ? AND device_id = ? AND seq > ? ORDER BY seq LIMIT ?""",
        EnvelopeTable::stored, number, deviceId, afterSeq, limit);
  }

  /** Removes envelopes of one queue by seq and returns them; seqs not in that queue are left out. */
  static List<StoredEnvelope> remove(Connection connection, String number, long deviceId, List<Long> seqs)
      throws SQLException {
    if (seqs.isEmpty()) {
      return List.of();
    }
    String in = String.join(", ", java.util.Collections.nCopies(seqs.size(), "?"));
    Object[] args = new Object[seqs.size() + 2];
    args[0] = number;
    args[1] = deviceId;
    for (int i = 0; i < seqs.size(); i++) {
      args[i + 2] = seqs.get(i);
    }
    List<StoredEnvelope> found = Sql.all(connection,
        "SELECT seq, envelope, expires_at FROM envelopes WHERE number = ? AND device_id = ? AND seq IN (" + in + ")",
        EnvelopeTable::stored, args);
    if (!found.isEmpty()) {
      Sql.update(connection, "DELETE FROM envelopes WHERE number = ? AND device_id = ? AND seq IN (" + in + ")", args);
    }
    return found;
  }

  static long size(Connection connection, String number, long deviceId) throws SQLException {
    return Sql.number(connection, "SELECT count(*) FROM envelopes WHERE number = ? AND device_id = ?", number,
        deviceId);
  }

  /** Every queued envelope: SQLite counts the rows of the smallest index, a pass over it. */
  static long count(Connection connection) throws SQLException {
    return Sql.number(connection, "SELECT count(*) FROM envelopes");
  }

  static long deleteExpired(Connection connection, long now) throws SQLException {
    return Sql.update(connection, "DELETE FROM envelopes WHERE expires_at <= ?", now);
  }

  static void deleteQueue(Connection connection, String number, long deviceId) throws SQLException {
    Sql.update(connection, "DELETE FROM envelopes WHERE number = ? AND device_id = ?", number, deviceId);
  }

  /** Deletes every queue of a number, including queues of device ids that have no device row. */
  static void deleteAll(Connection connection, String number) throws SQLException {
    Sql.update(connection, "DELETE FROM envelopes WHERE number = ?", number);
  }

  private static StoredEnvelope stored(ResultSet row) throws SQLException {
    return new StoredEnvelope(row.getLong(1), row.getBytes(2), row.getLong(3));
  }
}
