package org.quintet.relay.storage.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.quintet.relay.RelayLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/** Opens the database file the way each kind of thread needs it. */
final class Connections {
  private static final Logger log = LoggerFactory.getLogger(Connections.class);

  private Connections() {}

  /**
   * The writer's connection. WAL lets readers work while the writer writes; synchronous=FULL makes
   * SQLite sync the WAL at every commit, which is what makes an acknowledged write survive a power
   * cut (NORMAL would only survive a crash of the process).
   */
  static Connection writer(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
    config.setBusyTimeout((int) RelayLimits.SQLITE_BUSY_TIMEOUT.toMillis());
    Connection connection = DriverManager.getConnection(url(file), config.toProperties());
    try {
      // journal_mode=WAL is a request: SQLite keeps the old mode where WAL cannot work.
      require(connection, "PRAGMA journal_mode", "wal");
      require(connection, "PRAGMA synchronous", "2");
      // Deleted rows (an acknowledged envelope) are overwritten with zeros, free pages included, not
      // left readable in free space; the writer empties the WAL's old copies (GroupCommitWriter).
      Sql.execute(connection, "PRAGMA secure_delete = ON");
      require(connection, "PRAGMA secure_delete", "1");
      Sql.execute(connection, "PRAGMA temp_store = MEMORY");
      return connection;
    } catch (SQLException e) {
      close(connection);
      throw e;
    }
  }

  /** A reader's connection: read-only, so a bug cannot write outside the group commit. */
  static Connection reader(Path file) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout((int) RelayLimits.SQLITE_BUSY_TIMEOUT.toMillis());
    Connection connection = DriverManager.getConnection(url(file), config.toProperties());
    try {
      // Sorting or grouping never spills what it reads into a temporary file.
      Sql.execute(connection, "PRAGMA temp_store = MEMORY");
      return connection;
    } catch (SQLException e) {
      close(connection);
      throw e;
    }
  }

  /** Closes a connection; a failure is logged, as nothing more can be done about it. */
  static void close(Connection connection) {
    try {
      connection.close();
    } catch (SQLException e) {
      log.warn("closing the database connection failed", e);
    }
  }

  private static void require(Connection connection, String pragma, String expected) throws SQLException {
    String actual = Sql.one(connection, pragma, row -> row.getString(1)).orElse("");
    if (!actual.equalsIgnoreCase(expected)) {
      throw new SQLException(pragma + " is " + actual + ", expected " + expected);
    }
  }

  private static String url(Path file) {
    return "jdbc:sqlite:" + file.toAbsolutePath();
  }
}
