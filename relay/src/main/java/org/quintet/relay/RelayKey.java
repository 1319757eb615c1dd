package org.quintet.relay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The relay's own secret, from which it derives the keys of its login challenges and access
 * tokens. Made on first start, kept in a file ({@code DATA/relay.key} unless {@code relayKeyFile}
 * says otherwise) readable only by the relay's user. Every node of a cluster needs the same one:
 * a token one node issued is checked by whichever node the device reaches next.
 */
final class RelayKey {
  private static final int LENGTH = 32;

  private RelayKey() {}

  static byte[] loadOrCreate(Path file) throws IOException {
    if (Files.exists(file)) {
      // A key an earlier version left readable by others is narrowed to the relay's user.
      PrivateFiles.ifExists(file);
      byte[] key = Files.readAllBytes(file);
      if (key.length != LENGTH) {
        throw new IOException(file + " is damaged: expected " + LENGTH + " bytes");
      }
      return key;
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    byte[] key = new byte[LENGTH];
    new SecureRandom().nextBytes(key);
    Path temporary = dir.resolve(file.getFileName() + ".tmp");
    Files.deleteIfExists(temporary);
    PrivateFiles.file(temporary);
    Files.write(temporary, key);
    Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return key;
  }
}
