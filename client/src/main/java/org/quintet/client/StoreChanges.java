package org.quintet.client;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rows a save writes, as they were when it was asked for: values are copied or serialised
 * when a change is added, so the write may run on another thread while the state goes on
 * changing. {@link StoreDatabase#write} applies them in one transaction, in the order added.
 */
final class StoreChanges {
  /** One statement's worth of a change. */
  private interface Step {
    void apply(Connection connection) throws SQLException;
  }

  private final List<Step> steps = new ArrayList<>();

  boolean isEmpty() {
    return steps.isEmpty();
  }

  void apply(Connection connection) throws SQLException {
    for (Step step : steps) {
      step.apply(connection);
    }
  }

  /** Everything read from a home, written into an empty database. */
  static StoreChanges of(StoredState state) {
    StoreChanges changes = new StoreChanges();
    changes.putDevice(state.device.copy());
    state.signedPreKeys.forEach((id, key) -> changes.putPreKey(StoreTable.SIGNED_PREKEYS, id, key));
    state.oneTimePreKeys.forEach((id, key) -> changes.putPreKey(StoreTable.ONE_TIME_PREKEYS, id, key));
    state.sessions.forEach(changes::putSessions);
    state.accounts.forEach(changes::putAccount);
    state.seen.forEach(changes::putSeen);
    state.history.forEach(changes::putHistory);
    state.profiles.forEach(changes::putProfile);
    state.profileShares.forEach(changes::putProfileShare);
    return changes;
  }

  void clear(StoreTable table) {
    for (String name : table.tables) {
      steps.add(connection -> {
        try (Statement statement = connection.createStatement()) {
          statement.executeUpdate("DELETE FROM " + name);
        }
      });
    }
  }

  /** {@code device} must not change any more: a {@link DeviceRecord#copy}. */
  void putDevice(DeviceRecord device) {
    steps.add(connection -> {
      update(connection, """
          INSERT OR REPLACE INTO device (id, relay_url, number, status, status_reason, device_id, registration_id,
            account_key, identity_signing_seed, identity_agreement_key, next_signed_prekey_id,
            next_one_time_prekey_id, next_companion_id, history_parts, read_receipts, settings_timestamp)
          VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
          device.relayUrl, device.number, device.status.name(), device.statusReason, device.deviceId,
          device.registrationId, device.accountKey, device.identitySigningSeed, device.identityAgreementKey,
          device.nextSignedPreKeyId, device.nextOneTimePreKeyId, device.nextCompanionId, device.historyParts,
          device.readReceipts ? 1 : 0, device.settingsTimestamp);
      update(connection, "DELETE FROM history_transfer");
      for (int part : device.historyPartsReceived) {
        update(connection, "INSERT OR IGNORE INTO history_transfer (part) VALUES (?)", part);
      }
      update(connection, "DELETE FROM relay_pins");
      for (String pin : device.relayPins) {
        update(connection, "INSERT OR IGNORE INTO relay_pins (pin) VALUES (?)", pin);
      }
    });
  }

  /** {@code table} is {@link StoreTable#SIGNED_PREKEYS} or {@link StoreTable#ONE_TIME_PREKEYS}. */
  void putPreKey(StoreTable table, long id, byte[] privateKey) {
    String name = table.tables.get(0);
    steps.add(connection -> update(connection,
        "INSERT OR REPLACE INTO " + name + " (id, private_key) VALUES (?, ?)", id, privateKey));
  }

  void removePreKey(StoreTable table, long id) {
    String name = table.tables.get(0);
    steps.add(connection -> update(connection, "DELETE FROM " + name + " WHERE id = ?", id));
  }

  /** The device's sessions, serialised, the active one first; none removes them. */
  void putSessions(DeviceAddress device, List<byte[]> sessions) {
    List<byte[]> held = List.copyOf(sessions);
    steps.add(connection -> {
      update(connection, "DELETE FROM sessions WHERE number = ? AND device_id = ?", device.number(),
          device.deviceId());
      for (int position = 0; position < held.size(); position++) {
        update(connection, "INSERT INTO sessions (number, device_id, position, session) VALUES (?, ?, ?, ?)",
            device.number(), device.deviceId(), position, held.get(position));
      }
    });
  }

  void putAccount(String number, KnownAccount account) {
    steps.add(connection -> {
      removeAccount(connection, number);
      update(connection, "INSERT INTO accounts (number, account_key, device_list) VALUES (?, ?, ?)", number,
          account.accountKey(), account.deviceList());
      for (Map.Entry<Long, Integer> device : account.registrationIds().entrySet()) {
        update(connection, "INSERT INTO account_devices (number, device_id, registration_id) VALUES (?, ?, ?)",
            number, device.getKey(), device.getValue());
      }
    });
  }

  void removeAccount(String number) {
    steps.add(connection -> removeAccount(connection, number));
  }

  private static void removeAccount(Connection connection, String number) throws SQLException {
    update(connection, "DELETE FROM account_devices WHERE number = ?", number);
    update(connection, "DELETE FROM accounts WHERE number = ?", number);
  }

  void putSeen(String key, long seq) {
    steps.add(connection -> update(connection, "INSERT OR REPLACE INTO seen (seq, key) VALUES (?, ?)", seq, key));
  }

  void removeSeen(long seq) {
    steps.add(connection -> update(connection, "DELETE FROM seen WHERE seq = ?", seq));
  }

  void putHistory(HistoryRow row) {
    HistoryEntry text = row.entry();
    Quote quote = text.quote();
    steps.add(connection -> {
      update(connection, """
          INSERT OR REPLACE INTO history (seq, id, peer, outgoing, from_number, from_device, timestamp, body,
            quote_id, quote_author, quote_body, status, edited_at, attachment)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
          row.seq(), text.id(), text.peer(), text.outgoing() ? 1 : 0, text.from(), text.fromDevice(),
          text.timestamp(), text.body(), quote == null ? null : quote.id(), quote == null ? null : quote.author(),
          quote == null ? null : quote.body(), text.status().name(), text.editedAt(),
          text.attachment() == null ? null : text.attachment().stored());
      update(connection, "DELETE FROM reactions WHERE seq = ?", row.seq());
      for (MessageReaction reaction : text.reactions()) {
        update(connection, "INSERT INTO reactions (seq, number, emoji, timestamp) VALUES (?, ?, ?, ?)", row.seq(),
            reaction.from(), reaction.emoji(), reaction.timestamp());
      }
    });
  }

  void removeHistory(long seq) {
    steps.add(connection -> {
      update(connection, "DELETE FROM reactions WHERE seq = ?", seq);
      update(connection, "DELETE FROM history WHERE seq = ?", seq);
    });
  }

  void putProfile(String number, ProfileName profile) {
    steps.add(connection -> update(connection,
        "INSERT OR REPLACE INTO profiles (number, name, timestamp) VALUES (?, ?, ?)", number, profile.name(),
        profile.timestamp()));
  }

  void putProfileShare(String number, long timestamp) {
    steps.add(connection -> update(connection,
        "INSERT OR REPLACE INTO profile_shares (number, timestamp) VALUES (?, ?)", number, timestamp));
  }

  private static void update(Connection connection, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      statement.executeUpdate();
    }
  }
}
