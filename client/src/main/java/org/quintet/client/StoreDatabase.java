package org.quintet.client;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sqlite.SQLiteConfig;

/**
 * A home's SQLite database: one connection, WAL journal, {@code synchronous=FULL} (a commit syncs
 * the WAL, so what a device acknowledged to the relay survives a power cut, not just a crash of
 * the process). Writes are applied one at a time, each in one transaction.
 */
final class StoreDatabase implements AutoCloseable {
  private final Path file;
  private final Connection connection;

  private StoreDatabase(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /**
   * Opens the database (creating it, the owner's only, if missing) and brings its layout up to
   * date. A home still in the JSON form ({@code legacy} exists) is moved into it in the same
   * transaction that creates the layout, and the JSON file is deleted once that committed.
   */
  static StoreDatabase open(Path file, Path legacy) throws IOException {
    OwnerOnly.file(file);
    Connection connection = connect(file);
    StoreDatabase database = new StoreDatabase(file, connection);
    try {
      database.migrate(legacy);
      return database;
    } catch (IOException | RuntimeException e) {
      database.close();
      throw e;
    }
  }

  private static Connection connect(Path file) throws IOException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    try {
      Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(),
          config.toProperties());
      try {
        // journal_mode=WAL is a request: SQLite keeps another mode where WAL cannot work.
        require(connection, "PRAGMA journal_mode", "wal");
        require(connection, "PRAGMA synchronous", "2");
        return connection;
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
    } catch (SQLException e) {
      throw unreadable(file, e);
    }
  }

  private static void require(Connection connection, String pragma, String expected) throws SQLException {
    try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(pragma)) {
      String actual = row.next() ? row.getString(1) : "";
      if (!expected.equalsIgnoreCase(actual)) {
        throw new SQLException(pragma + " is " + actual + ", not " + expected);
      }
    }
  }

  /** Says which file could not be used and what SQLite said, which never holds stored values. */
  private static IOException unreadable(Path file, SQLException e) {
    return new IOException(file + " is not a store this client can use: " + e.getMessage(), e);
  }

  private void migrate(Path legacy) throws IOException {
    boolean legacyLeft = Files.exists(legacy);
    try {
      connection.setAutoCommit(false);
      try {
        int before = StoreSchema.migrate(connection, file);
        if (before == 0 && legacyLeft) {
          StoreChanges.of(LegacyStateFile.read(legacy)).apply(connection);
        }
        connection.commit();
      } catch (SQLException | IOException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw unreadable(file, e);
    }
    if (legacyLeft) {
      // Moved into the database (now, or by an open that stopped before this): a copy left behind
      // would keep chain keys and used prekeys that forward secrecy needs gone, and a device put
      // back on it would use message keys a second time.
      Files.delete(legacy);
      Files.deleteIfExists(LegacyStateFile.temporary(legacy));
    }
  }

  /** Every row, as the state a store starts from. */
  StoredState read() throws IOException {
    try {
      StoredState state = new StoredState();
      readDevice(state);
      query("SELECT id, private_key FROM signed_prekeys ORDER BY id",
          row -> state.signedPreKeys.put(row.getLong(1), row.getBytes(2)));
      query("SELECT id, private_key FROM one_time_prekeys ORDER BY id",
          row -> state.oneTimePreKeys.put(row.getLong(1), row.getBytes(2)));
      query("SELECT number, device_id, session FROM sessions ORDER BY number, device_id, position",
          row -> state.sessions.computeIfAbsent(new DeviceAddress(row.getString(1), row.getLong(2)),
              device -> new ArrayList<>()).add(row.getBytes(3)));
      Map<String, Map<Long, Integer>> registrationIds = new HashMap<>();
      query("SELECT number, device_id, registration_id FROM account_devices",
          row -> registrationIds.computeIfAbsent(row.getString(1), number -> new HashMap<>())
              .put(row.getLong(2), row.getInt(3)));
      query("SELECT number, account_key, device_list FROM accounts",
          row -> state.accounts.put(row.getString(1), new KnownAccount(row.getBytes(2), row.getBytes(3),
              registrationIds.getOrDefault(row.getString(1), Map.of()))));
      query("SELECT seq, key FROM seen ORDER BY seq", row -> state.seen.put(row.getString(2), row.getLong(1)));
      Map<Long, List<MessageReaction>> reactions = new HashMap<>();
      query("SELECT seq, number, emoji, timestamp FROM reactions ORDER BY seq, number",
          row -> reactions.computeIfAbsent(row.getLong(1), seq -> new ArrayList<>())
              .add(new MessageReaction(row.getString(2), row.getString(3), row.getLong(4))));
      query("""
          SELECT seq, id, peer, outgoing, from_number, from_device, timestamp, body, quote_id, quote_author,
            quote_body, status, edited_at, attachment
          FROM history ORDER BY seq""",
          row -> state.history.add(new HistoryRow(row.getLong(1), new HistoryEntry(row.getString(2),
              row.getString(3), row.getInt(4) != 0, row.getString(5), row.getLong(6), row.getLong(7),
              row.getString(8), row.getString(9) == null ? null
                  : new Quote(row.getString(9), row.getString(10), row.getString(11)),
              MessageStatus.valueOf(row.getString(12)), row.getLong(13),
              reactions.getOrDefault(row.getLong(1), List.of()), AttachmentPointer.fromStored(row.getString(14))))));
      query("SELECT number, name, timestamp FROM profiles",
          row -> state.profiles.put(row.getString(1), new ProfileName(row.getString(2), row.getLong(3))));
      query("SELECT number, timestamp FROM profile_shares",
          row -> state.profileShares.put(row.getString(1), row.getLong(2)));
      return state;
    } catch (SQLException | IllegalArgumentException e) {
      throw unreadable(file, e instanceof SQLException sql ? sql : new SQLException(e.getMessage(), e));
    }
  }

  private void readDevice(StoredState state) throws SQLException {
    DeviceRecord device = state.device;
    query("""
        SELECT relay_url, number, status, status_reason, device_id, registration_id, account_key,
          identity_signing_seed, identity_agreement_key, next_signed_prekey_id, next_one_time_prekey_id,
          next_companion_id, history_parts, read_receipts, settings_timestamp
        FROM device""", row -> {
          device.relayUrl = row.getString(1);
          device.number = row.getString(2);
          device.status = LocalStore.Status.valueOf(row.getString(3));
          device.statusReason = row.getString(4);
          device.deviceId = row.getLong(5);
          device.registrationId = row.getInt(6);
          device.accountKey = row.getBytes(7);
          device.identitySigningSeed = row.getBytes(8);
          device.identityAgreementKey = row.getBytes(9);
          device.nextSignedPreKeyId = row.getLong(10);
          device.nextOneTimePreKeyId = row.getLong(11);
          device.nextCompanionId = row.getLong(12);
          device.historyParts = row.getInt(13);
          device.readReceipts = row.getInt(14) != 0;
          device.settingsTimestamp = row.getLong(15);
        });
    query("SELECT part FROM history_transfer ORDER BY part", row -> device.historyPartsReceived.add(row.getInt(1)));
    List<String> pins = new ArrayList<>();
    query("SELECT pin FROM relay_pins ORDER BY pin", row -> pins.add(row.getString(1)));
    device.relayPins = List.copyOf(pins);
  }

  private interface RowReader {
    void read(ResultSet row) throws SQLException;
  }

  private void query(String sql, RowReader reader) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql); ResultSet row = statement.executeQuery()) {
      while (row.next()) {
        reader.read(row);
      }
    }
  }

  /**
   * The texts that match, the best first (FTS5's bm25: rarer words and shorter texts weigh more),
   * among equals the latest kept first (blocking).
   */
  synchronized List<SearchHit> search(SearchQuery query) throws IOException {
    try (PreparedStatement statement = connection.prepareStatement("""
        SELECT history.id, history.peer, history.from_number, history.from_device, history.timestamp,
          history.outgoing, history.body
        FROM history_search JOIN history ON history.seq = history_search.rowid
        WHERE history_search MATCH ?
        ORDER BY bm25(history_search), history.seq DESC
        LIMIT ?""")) {
      statement.setString(1, query.match());
      statement.setInt(2, query.limit());
      List<SearchHit> hits = new ArrayList<>();
      try (ResultSet row = statement.executeQuery()) {
        while (row.next()) {
          hits.add(new SearchHit(row.getString(1), row.getString(2), row.getString(3), row.getLong(4),
              row.getLong(5), row.getInt(6) != 0, row.getString(7)));
        }
      }
      return hits;
    } catch (SQLException e) {
      throw new IOException("searching " + file + " failed: " + e.getMessage(), e);
    }
  }

  /** Applies the changes in one transaction (blocking: a commit waits for the disk). */
  synchronized void write(StoreChanges changes) throws IOException {
    if (changes.isEmpty()) {
      return;
    }
    try {
      connection.setAutoCommit(false);
      try {
        changes.apply(connection);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IOException("saving to " + file + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IOException("closing " + file + " failed: " + e.getMessage(), e);
    }
  }
}
