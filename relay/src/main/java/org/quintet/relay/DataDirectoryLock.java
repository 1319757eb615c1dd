package org.quintet.relay;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One relay per data directory: a second one started on it refuses at once instead of writing
 * beside the first. The lock is the operating system's, so a relay that dies (even kill -9)
 * leaves nothing behind that stops the next start.
 */
final class DataDirectoryLock implements AutoCloseable {
  static final String FILE = "relay.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private DataDirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the directory's lock (making the directory if needed), or says who holds it. */
  static DataDirectoryLock take(Path dataDir) throws IOException {
    PrivateFiles.directory(dataDir);
    Path file = dataDir.resolve(FILE);
    PrivateFiles.file(file);
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException heldHere) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IOException("another relay is using the data directory " + dataDir.toAbsolutePath() + " (it holds "
          + FILE + "): stop it, or give this relay its own --data");
    }
    // For a person looking: which process holds it.
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(US_ASCII)));
    return new DataDirectoryLock(channel, lock);
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the process ends soon, and the lock with it
    }
  }
}
