package org.quintet.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quintet.relay.TestDevice.expect;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.relay.storage.StoredEnvelope;
import org.quintet.relay.storage.embedded.SqliteStorage;

/**
 * What a single node leaves on its disk: files only its user can read, and no trace of an
 * envelope once its device acknowledged it, in the database or its WAL, read byte for byte.
 */
class DataHygieneTest {
  private static final String ALICE = "+15550900001";
  private static final String BOB = "+15550900002";
  private static final List<String> DATA_FILES = List.of(SqliteStorage.FILE_NAME, SqliteStorage.FILE_NAME + "-wal",
      SqliteStorage.FILE_NAME + "-shm", "relay.key", DataDirectoryLock.FILE);

  @TempDir
  Path data;
  TestRelay relay;

  @AfterEach
  void stop() throws Exception {
    if (relay != null) {
      relay.close();
    }
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  private void assertPrivate(Path dataDir) throws IOException {
    assertEquals("rwx------", permissions(dataDir), "the data directory");
    for (String name : DATA_FILES) {
      Path file = dataDir.resolve(name);
      assertTrue(Files.exists(file), name + " exists");
      assertEquals("rw-------", permissions(file), name);
    }
  }

  @Test
  void theDataFilesAreTheRelayUsersAloneEvenWhenAnEarlierVersionMadeThemWider() throws Exception {
    Path fresh = data.resolve("fresh");
    relay = TestRelay.start(fresh);
    TestDevice alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    TestDevice bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
    expect(alice.send("hello", bob), 200);
    assertPrivate(fresh);
    relay.close();

    // As a relay of an earlier version left them: readable by everyone.
    Path old = data.resolve("old");
    Files.createDirectories(old);
    Files.write(old.resolve("relay.key"), TestDevice.randomBytes(32));
    Files.createFile(old.resolve(SqliteStorage.FILE_NAME));
    Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(old.resolve("relay.key"), PosixFilePermissions.fromString("rw-r--r--"));
    Files.setPosixFilePermissions(old.resolve(SqliteStorage.FILE_NAME), PosixFilePermissions.fromString("rw-rw-r--"));
    relay = TestRelay.start(old);
    new TestDevice(relay, ALICE).registerAsPrimary(relay);
    assertPrivate(old);
  }

  /** A small envelope (in a page of the table) and a large one (in overflow pages) leave nothing behind. */
  @Test
  void anAcknowledgedEnvelopeIsGoneFromTheRawFiles() throws Exception {
    relay = TestRelay.start(data);
    TestDevice alice = new TestDevice(relay, ALICE).registerAsPrimary(relay);
    TestDevice bob = new TestDevice(relay, BOB).registerAsPrimary(relay);
    expect(alice.send("a short message", bob), 200);
    expect(alice.send("a long message ".repeat(5000), bob), 200);
    List<byte[]> markers = new ArrayList<>();
    for (StoredEnvelope queued : TestRelay.await(relay.storage.peek(BOB, 1, 0, 10))) {
      byte[] envelope = queued.envelope();
      // Ciphertext from the middle of the envelope: bytes no other row holds.
      markers.add(Arrays.copyOfRange(envelope, envelope.length - 48, envelope.length - 16));
    }
    assertEquals(2, markers.size());
    assertTrue(markers.stream().allMatch(this::onDisk), "before the acknowledgement, the envelopes are on disk");

    try (TestDevice.Delivery inbox = bob.connect()) {
      inbox.receive(2);
      long deadline = System.currentTimeMillis() + 10_000;
      while (relay.queueSize(BOB, 1) != 0 && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(0, relay.queueSize(BOB, 1));
      // The writer empties the WAL once it is quiet: within moments, while the relay runs.
      deadline = System.currentTimeMillis() + 5_000;
      while (markers.stream().anyMatch(this::onDisk) && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      for (byte[] marker : markers) {
        assertFalse(onDisk(marker), "an acknowledged envelope is still in " + whereOnDisk(marker));
      }
    }
    relay.close();
    for (byte[] marker : markers) {
      assertFalse(onDisk(marker), "after closing, an acknowledged envelope is in " + whereOnDisk(marker));
    }
  }

  private boolean onDisk(byte[] marker) {
    return !whereOnDisk(marker).isEmpty();
  }

  /** The files of the data directory (the database, its WAL and shared memory, any other) that hold the bytes. */
  private List<String> whereOnDisk(byte[] marker) {
    List<String> holding = new ArrayList<>();
    try (Stream<Path> files = Files.walk(data)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        if (indexOf(Files.readAllBytes(file), marker) >= 0) {
          holding.add(data.relativize(file).toString());
        }
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return holding;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
