package org.quintet.relay.storage.embedded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The {@code one_time_prekeys} table. */
final class OneTimePreKeyTable {
  private OneTimePreKeyTable() {}

  static void add(Connection connection, String number, long deviceId, List<byte[]> preKeys) throws SQLException {
    if (preKeys.isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO one_time_prekeys (number, device_id, prekey) VALUES (?, ?, ?)")) {
      for (byte[] preKey : preKeys) {
        insert.setString(1, number);
        insert.setLong(2, deviceId);
        insert.setBytes(3, preKey);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** Removes and returns the oldest one. Only the writer runs this, so no two callers get the same key. */
  static Optional<byte[]> take(Connection connection, String number, long deviceId) throws SQLException {
    record Found(long id, byte[] preKey) {}
    Optional<Found> oldest = Sql.one(connection,
        "SELECT id, prekey FROM one_time_prekeys WHERE number = ? AND device_id = ? ORDER BY id LIMIT 1",
        row -> new Found(row.getLong(1), row.getBytes(2)), number, deviceId);
    if (oldest.isPresent()) {
      Sql.update(connection, "DELETE FROM one_time_prekeys WHERE id = ?", oldest.get().id());
    }
    return oldest.map(Found::preKey);
  }

  static long count(Connection connection, String number, long deviceId) throws SQLException {
    return Sql.number(connection, "SELECT count(*) FROM one_time_prekeys WHERE number = ? AND device_id = ?", number,
        deviceId);
  }

  static void deleteDevice(Connection connection, String number, long deviceId) throws SQLException {
    Sql.update(connection, "DELETE FROM one_time_prekeys WHERE number = ? AND device_id = ?", number, deviceId);
  }

  static void deleteAll(Connection connection, String number) throws SQLException {
    Sql.update(connection, "DELETE FROM one_time_prekeys WHERE number = ?", number);
  }
}
