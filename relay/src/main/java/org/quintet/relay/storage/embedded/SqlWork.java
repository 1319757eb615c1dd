package org.quintet.relay.storage.embedded;

import java.sql.Connection;
import java.sql.SQLException;

/** What one storage call does on a database thread, with that thread's connection. */
@FunctionalInterface
interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
