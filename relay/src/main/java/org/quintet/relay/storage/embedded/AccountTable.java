package org.quintet.relay.storage.embedded;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.quintet.relay.storage.Account;

/** The {@code accounts} table: one row per number, kept across registrations. */
final class AccountTable {
  private AccountTable() {}

  static Optional<Account> find(Connection connection, String number) throws SQLException {
    return Sql.one(connection, """
        SELECT number, account_key, device_list, device_list_version, next_device_id, registered_at
        FROM accounts WHERE number = ?""", AccountTable::account, number);
  }

  /** Inserts the account, or overwrites every column of the number's earlier one. */
  static void put(Connection connection, Account account) throws SQLException {
    Sql.update(connection, """
        INSERT INTO accounts (number, account_key, device_list, device_list_version, next_device_id, registered_at)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (number) DO UPDATE SET
          account_key = excluded.account_key, device_list = excluded.device_list,
          device_list_version = excluded.device_list_version, next_device_id = excluded.next_device_id,
          registered_at = excluded.registered_at""",
        account.number(), account.accountKey(), account.deviceList(), account.deviceListVersion(),
        account.nextDeviceId(), account.registeredAt());
  }

  static void setNextDeviceId(Connection connection, String number, long nextDeviceId) throws SQLException {
    Sql.update(connection, "UPDATE accounts SET next_device_id = ? WHERE number = ?", nextDeviceId, number);
  }

  static void setDeviceList(Connection connection, String number, byte[] deviceList, long version)
      throws SQLException {
    Sql.update(connection, "UPDATE accounts SET device_list = ?, device_list_version = ? WHERE number = ?",
        deviceList, version, number);
  }

  private static Account account(ResultSet row) throws SQLException {
    return new Account(row.getString(1), row.getBytes(2), row.getBytes(3), row.getLong(4), row.getLong(5),
        row.getLong(6));
  }
}
