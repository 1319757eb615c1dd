package org.quintet.relay.storage.embedded;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Statements with positional arguments, so the table classes read as SQL and little else. */
final class Sql {

  /** Maps the current row of a result set. */
  @FunctionalInterface
  interface Row<T> {
    T map(ResultSet row) throws SQLException;
  }

  private Sql() {}

  /** Runs a statement that takes no arguments (DDL, transaction control, pragmas). */
  static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** Runs an insert, update or delete; returns how many rows it changed. */
  static int update(Connection connection, String sql, Object... args) throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, args)) {
      return statement.executeUpdate();
    }
  }

  static <T> Optional<T> one(Connection connection, String sql, Row<T> row, Object... args) throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, args);
        ResultSet rows = statement.executeQuery()) {
      return rows.next() ? Optional.of(row.map(rows)) : Optional.empty();
    }
  }

  static <T> List<T> all(Connection connection, String sql, Row<T> row, Object... args) throws SQLException {
    try (PreparedStatement statement = prepare(connection, sql, args);
        ResultSet rows = statement.executeQuery()) {
      List<T> result = new ArrayList<>();
      while (rows.next()) {
        result.add(row.map(rows));
      }
      return result;
    }
  }

  /** Runs a query whose first column of its only row is a number (a count or an aggregate). */
  static long number(Connection connection, String sql, Object... args) throws SQLException {
    return one(connection, sql, rows -> rows.getLong(1), args).orElseThrow();
  }

  private static PreparedStatement prepare(Connection connection, String sql, Object... args) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    try {
      for (int i = 0; i < args.length; i++) {
        statement.setObject(i + 1, args[i]);
      }
      return statement;
    } catch (SQLException e) {
      statement.close();
      throw e;
    }
  }
}
