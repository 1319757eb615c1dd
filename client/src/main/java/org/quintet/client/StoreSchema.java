package org.quintet.client;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The layout of a home's database and every step that brought it there. The database carries the
 * number of steps applied in SQLite's {@code user_version}; opening runs the missing ones, in the
 * transaction that opens it, so a crash leaves the database as it was. A new kind of record
 * (groups, media, account state) is a new step at the end; a step is never changed once shipped.
 */
final class StoreSchema {
  private static final List<List<String>> STEPS = List.of(
      // 1: what the JSON state file (format 1) held.
      List.of("""
          CREATE TABLE device (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            relay_url TEXT,
            number TEXT,
            status TEXT NOT NULL,
            status_reason TEXT,
            device_id INTEGER NOT NULL,
            registration_id INTEGER NOT NULL,
            account_key BLOB,
            identity_signing_seed BLOB,
            identity_agreement_key BLOB,
            next_signed_prekey_id INTEGER NOT NULL,
            next_one_time_prekey_id INTEGER NOT NULL,
            next_companion_id INTEGER NOT NULL,
            history_parts INTEGER NOT NULL)""",
          "CREATE TABLE history_transfer (part INTEGER PRIMARY KEY)",
          "CREATE TABLE signed_prekeys (id INTEGER PRIMARY KEY, private_key BLOB NOT NULL)",
          "CREATE TABLE one_time_prekeys (id INTEGER PRIMARY KEY, private_key BLOB NOT NULL)",
          """
          CREATE TABLE sessions (
            number TEXT NOT NULL,
            device_id INTEGER NOT NULL,
            position INTEGER NOT NULL,
            session BLOB NOT NULL,
            PRIMARY KEY (number, device_id, position)) WITHOUT ROWID""",
          "CREATE TABLE accounts (number TEXT PRIMARY KEY, account_key BLOB NOT NULL, device_list BLOB NOT NULL)",
          """
          CREATE TABLE account_devices (
            number TEXT NOT NULL,
            device_id INTEGER NOT NULL,
            registration_id INTEGER NOT NULL,
            PRIMARY KEY (number, device_id)) WITHOUT ROWID""",
          // Looked up in memory only: rows go in and out by their place, at the two ends of one tree.
          "CREATE TABLE seen (seq INTEGER PRIMARY KEY, key TEXT NOT NULL)",
          """
          CREATE TABLE history (
            seq INTEGER PRIMARY KEY,
            id TEXT,
            peer TEXT,
            outgoing INTEGER NOT NULL,
            from_number TEXT,
            from_device INTEGER NOT NULL,
            timestamp INTEGER NOT NULL,
            body TEXT)"""),
      // 2: the relay's certificate pins, for a relay whose certificate no public authority signed.
      List.of("CREATE TABLE relay_pins (pin TEXT PRIMARY KEY)"),
      // 3: what happens to a text after it came (a reply's quote, its status, an edit, a deletion:
      // a null body, reactions), the names accounts show, to whom this account showed its own, and
      // the account's settings. A text kept from before was read, or sent.
      List.of(
          "ALTER TABLE history ADD COLUMN quote_id TEXT",
          "ALTER TABLE history ADD COLUMN quote_author TEXT",
          "ALTER TABLE history ADD COLUMN quote_body TEXT",
          "ALTER TABLE history ADD COLUMN status TEXT NOT NULL DEFAULT 'READ'",
          "UPDATE history SET status = 'SENT' WHERE outgoing = 1",
          "ALTER TABLE history ADD COLUMN edited_at INTEGER NOT NULL DEFAULT 0",
          """
          CREATE TABLE reactions (
            seq INTEGER NOT NULL,
            number TEXT NOT NULL,
            emoji TEXT NOT NULL,
            timestamp INTEGER NOT NULL,
            PRIMARY KEY (seq, number)) WITHOUT ROWID""",
          "CREATE TABLE profiles (number TEXT PRIMARY KEY, name TEXT NOT NULL, timestamp INTEGER NOT NULL)",
          "CREATE TABLE profile_shares (number TEXT PRIMARY KEY, timestamp INTEGER NOT NULL)",
          "ALTER TABLE device ADD COLUMN read_receipts INTEGER NOT NULL DEFAULT 1",
          "ALTER TABLE device ADD COLUMN settings_timestamp INTEGER NOT NULL DEFAULT 0"),
      // 4: full-text search of the texts' bodies (LocalStoreSearchTest). Contentless: the bodies stay
      // in history alone, and an entry goes by its rowid (history's seq). The tokenizer: unicode61
      // takes marks (Mn, Mc) for separators by default, which cuts a Bengali word at every vowel sign
      // and virama ("কেমন" becomes "ক" "মন", found in "কি মন"); with marks among the token characters
      // each word stays whole, and remove_diacritics still folds "café" to "cafe". Not trigram: it
      // finds no word shorter than three characters ("hi", "কি").
      // Triggers keep the index in step with every writer of history. INSERT OR REPLACE, the store's
      // one way of writing a text, fires no delete trigger for the row it replaces, so the insert
      // trigger drops that row's entry first. A text deleted for everyone (a null body) has none.
      List.of("""
          CREATE VIRTUAL TABLE history_search USING fts5(body, content='', contentless_delete=1,
            tokenize="unicode61 remove_diacritics 2 categories 'L* N* Co M*'")""",
          """
          CREATE TRIGGER history_search_insert AFTER INSERT ON history BEGIN
            DELETE FROM history_search WHERE rowid = new.seq;
            INSERT INTO history_search (rowid, body) SELECT new.seq, new.body WHERE new.body IS NOT NULL;
          END""",
          """
          CREATE TRIGGER history_search_update AFTER UPDATE OF seq, body ON history BEGIN
            DELETE FROM history_search WHERE rowid = old.seq;
            INSERT INTO history_search (rowid, body) SELECT new.seq, new.body WHERE new.body IS NOT NULL;
          END""",
          """
          CREATE TRIGGER history_search_delete AFTER DELETE ON history BEGIN
            DELETE FROM history_search WHERE rowid = old.seq;
          END""",
          "INSERT INTO history_search (rowid, body) SELECT seq, body FROM history WHERE body IS NOT NULL"),
      // 5: the file a message carries: its pointer (docs/protocol.md, "Contents", attachment) as the
      // content's JSON has it, the key included; the caption is the body.
      List.of("ALTER TABLE history ADD COLUMN attachment TEXT"));
  static final int VERSION = STEPS.size();

  private StoreSchema() {}

  /**
   * Brings the database to {@link #VERSION} inside the caller's transaction; answers the version
   * it had (0: a new database).
   */
  static int migrate(Connection connection, Path file) throws SQLException, IOException {
    int version = version(connection);
    if (version > VERSION) {
      throw new IOException(file + " was written by a newer client (store version " + version
          + "); this one reads up to version " + VERSION);
    }
    try (Statement statement = connection.createStatement()) {
      for (List<String> step : STEPS.subList(version, VERSION)) {
        for (String sql : step) {
          statement.execute(sql);
        }
      }
      statement.execute("PRAGMA user_version = " + VERSION);
    }
    return version;
  }

  private static int version(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
         ResultSet row = statement.executeQuery("PRAGMA user_version")) {
      return row.next() ? row.getInt(1) : 0;
    }
  }
}
