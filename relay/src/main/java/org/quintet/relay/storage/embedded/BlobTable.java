package org.quintet.relay.storage.embedded;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.quintet.relay.storage.BlobRecord;
import org.quintet.relay.storage.StorageException;
import org.quintet.relay.storage.StorageException.Reason;

/** The {@code blobs} table: the attachment blobs the blob store holds, whose and how far uploaded. */
final class BlobTable {
  private static final String COLUMNS = "id, number, device_id, length, offset, created_at, expires_at";

  private BlobTable() {}

  static void create(Connection connection, BlobRecord blob, long quotaBytes) throws SQLException {
    if (AccountTable.find(connection, blob.number()).isEmpty()) {
      throw new StorageException(Reason.NO_ACCOUNT, "no account " + blob.number());
    }
    long used = Sql.number(connection,
        "SELECT coalesce(sum(length), 0) FROM blobs WHERE number = ? AND expires_at > ?", blob.number(),
        blob.createdAt());
    if (used + blob.length() > quotaBytes) {
      throw new StorageException(Reason.OVER_QUOTA, "the account's blobs would take more than " + quotaBytes + " bytes");
    }
    Sql.update(connection, "INSERT INTO blobs (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", blob.id(),
        blob.number(), blob.deviceId(), blob.length(), blob.offset(), blob.createdAt(), blob.expiresAt());
  }

  static Optional<BlobRecord> find(Connection connection, String id) throws SQLException {
    return Sql.one(connection, "SELECT " + COLUMNS + " FROM blobs WHERE id = ?", BlobTable::record, id);
  }

  static BlobRecord advance(Connection connection, String id, long expectedOffset, long offset,
      long expiresAtWhenComplete) throws SQLException {
    BlobRecord blob = find(connection, id).orElseThrow(() -> new StorageException(Reason.NO_BLOB, "no blob " + id));
    if (blob.offset() != expectedOffset) {
      throw new StorageException(Reason.BLOB_OFFSET_CONFLICT, "the blob holds " + blob.offset() + " bytes");
    }
    if (offset < expectedOffset || offset > blob.length()) {
      throw new IllegalArgumentException("a blob's offset grows up to its length");
    }
    long expiresAt = offset == blob.length() ? expiresAtWhenComplete : blob.expiresAt();
    Sql.update(connection, "UPDATE blobs SET offset = ?, expires_at = ? WHERE id = ?", offset, expiresAt, id);
    return new BlobRecord(id, blob.number(), blob.deviceId(), blob.length(), offset, blob.createdAt(), expiresAt);
  }

  static boolean delete(Connection connection, String id) throws SQLException {
    return Sql.update(connection, "DELETE FROM blobs WHERE id = ?", id) == 1;
  }

  static List<BlobRecord> expired(Connection connection, long now, int limit) throws SQLException {
    return Sql.all(connection, "SELECT " + COLUMNS + " FROM blobs WHERE expires_at <= ? ORDER BY expires_at LIMIT ?",
        BlobTable::record, now, limit);
  }

  private static BlobRecord record(ResultSet row) throws SQLException {
    return new BlobRecord(row.getString(1), row.getString(2), row.getLong(3), row.getLong(4), row.getLong(5),
        row.getLong(6), row.getLong(7));
  }
}
