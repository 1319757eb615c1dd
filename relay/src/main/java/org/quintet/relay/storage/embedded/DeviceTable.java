package org.quintet.relay.storage.embedded;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.quintet.relay.storage.Device;

/** The {@code devices} table, which also holds each device's signed prekey. */
final class DeviceTable {
  private static final String COLUMNS =
      "number, device_id, identity_key, registration_id, cert, name, platform, created_at, last_seen_at";

  private DeviceTable() {}

  static List<Device> list(Connection connection, String number) throws SQLException {
    return Sql.all(connection, "SELECT " + COLUMNS + " FROM devices WHERE number = ? ORDER BY device_id",
        DeviceTable::device, number);
  }

  static List<Device> notSeenSince(Connection connection, long before) throws SQLException {
    return Sql.all(connection, "SELECT " + COLUMNS + " FROM devices WHERE last_seen_at < ? ORDER BY number, device_id",
        DeviceTable::device, before);
  }

  static Optional<Device> find(Connection connection, String number, long deviceId) throws SQLException {
    return Sql.one(connection, "SELECT " + COLUMNS + " FROM devices WHERE number = ? AND device_id = ?",
        DeviceTable::device, number, deviceId);
  }

  static boolean exists(Connection connection, String number, long deviceId) throws SQLException {
    return Sql.one(connection, "SELECT 1 FROM devices WHERE number = ? AND device_id = ?", row -> true, number,
        deviceId).isPresent();
  }

  static long companionCount(Connection connection, String number) throws SQLException {
    return Sql.number(connection, "SELECT count(*) FROM devices WHERE number = ? AND device_id <> ?", number,
        Device.PRIMARY);
  }

  /** Inserts a device created at {@code now}; a null signed prekey is stored as none. */
  static void insert(Connection connection, Device device, byte[] signedPreKey, long now) throws SQLException {
    Sql.update(connection, "INSERT INTO devices (" + COLUMNS + ", signed_prekey) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        device.number(), device.deviceId(), device.identityKey(), device.registrationId(), device.cert(),
        device.name(), device.platform(), now, now, signedPreKey);
  }

  static boolean delete(Connection connection, String number, long deviceId) throws SQLException {
    return Sql.update(connection, "DELETE FROM devices WHERE number = ? AND device_id = ?", number, deviceId) > 0;
  }

  static void deleteAll(Connection connection, String number) throws SQLException {
    Sql.update(connection, "DELETE FROM devices WHERE number = ?", number);
  }

  /** Sets last_seen_at; false when the device does not exist. */
  static boolean touch(Connection connection, String number, long deviceId, long now) throws SQLException {
    return Sql.update(connection, "UPDATE devices SET last_seen_at = ? WHERE number = ? AND device_id = ?", now,
        number, deviceId) > 0;
  }

  /** Sets the device's name; false when the device does not exist. */
  static boolean rename(Connection connection, String number, long deviceId, String name) throws SQLException {
    return Sql.update(connection, "UPDATE devices SET name = ? WHERE number = ? AND device_id = ?", name, number,
        deviceId) > 0;
  }

  static void setSignedPreKey(Connection connection, String number, long deviceId, byte[] signedPreKey)
      throws SQLException {
    Sql.update(connection, "UPDATE devices SET signed_prekey = ? WHERE number = ? AND device_id = ?", signedPreKey,
        number, deviceId);
  }

  static Optional<byte[]> signedPreKey(Connection connection, String number, long deviceId) throws SQLException {
    return Sql.one(connection, "SELECT signed_prekey FROM devices WHERE number = ? AND device_id = ?",
        row -> Optional.ofNullable(row.getBytes(1)), number, deviceId).flatMap(key -> key);
  }

  private static Device device(ResultSet row) throws SQLException {
    return new Device(row.getString(1), row.getLong(2), row.getBytes(3), row.getInt(4), row.getBytes(5),
        row.getString(6), row.getString(7), row.getLong(8), row.getLong(9));
  }
}
