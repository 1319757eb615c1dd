package org.quintet.client;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A home holds private keys: its directory and files are readable by their owner only, where the
 * file system has POSIX permissions.
 */
final class OwnerOnly {
  private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private OwnerOnly() {}

  /** Creates the directory (and its parents) if needed, and makes it its owner's only. */
  static void directory(Path directory) throws IOException {
    Files.createDirectories(directory);
    if (POSIX) {
      Files.setPosixFilePermissions(directory, DIRECTORY);
    }
  }

  /** Creates the file, empty, if it is missing, and makes it its owner's only either way. */
  static void file(Path file) throws IOException {
    if (!Files.exists(file)) {
      Files.createFile(file, attributes());
    } else if (POSIX) {
      Files.setPosixFilePermissions(file, FILE);
    }
  }

  /** For a file created with {@code Files} or {@code FileChannel.open}. */
  static FileAttribute<?>[] attributes() {
    return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
  }
}
