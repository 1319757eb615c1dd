package org.quintet.relay;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * What the relay keeps on disk is for the relay's own user alone: its data directories are 0700,
 * and its files (the database with its WAL and shared-memory files, the relay key, the TLS key,
 * the lock) 0600, whatever the umask. Files are made with those permissions from the start, so
 * they are never readable by others even for a moment, and ones an earlier version left wider
 * are narrowed when the relay opens them. On a file system without POSIX permissions, nothing is
 * done: the directory's own protection has to do.
 */
public final class PrivateFiles {
  private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /** Makes the directory if needed (its missing parents as the system makes them) and keeps it 0700. */
  public static void directory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
    }
    restrict(dir, DIRECTORY);
  }

  /** Makes the file, empty and 0600, when it does not exist; keeps an existing one 0600. */
  public static void file(Path file) throws IOException {
    try {
      if (isPosix(file.toAbsolutePath().getParent())) {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException exists) {
      // kept, and narrowed below
    }
    restrict(file, FILE);
  }

  /** Keeps a file 0600 if it exists (a file another program makes, such as SQLite's WAL). */
  public static void ifExists(Path file) throws IOException {
    if (Files.exists(file)) {
      restrict(file, FILE);
    }
  }

  private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
    if (isPosix(path) && !Files.getPosixFilePermissions(path).equals(permissions)) {
      Files.setPosixFilePermissions(path, permissions);
    }
  }

  private static boolean isPosix(Path path) {
    return path != null && path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
