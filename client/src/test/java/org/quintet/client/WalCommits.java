package org.quintet.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Counts the transactions committed in a SQLite write-ahead log, read from the file itself
 * (sqlite.org/fileformat2.html, "WAL file format"): a frame whose header gives the database size
 * after it ends a transaction; frames whose salt is not the header's are left over from before the
 * log last restarted, and end the count.
 */
final class WalCommits {
  private static final int HEADER = 32;
  private static final int FRAME_HEADER = 24;

  private WalCommits() {}

  static int count(Path wal) throws IOException {
    ByteBuffer log = ByteBuffer.wrap(Files.readAllBytes(wal));
    if (log.limit() < HEADER) {
      return 0;
    }
    int pageSize = log.getInt(8);
    long salt = log.getLong(16);
    int commits = 0;
    for (int frame = HEADER; frame + FRAME_HEADER + pageSize <= log.limit(); frame += FRAME_HEADER + pageSize) {
      if (log.getLong(frame + 8) != salt) {
        break;
      }
      if (log.getInt(frame + 4) != 0) {
        commits++;
      }
    }
    return commits;
  }
}
