package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.Delivery;
import org.quintet.protocol.Ed25519KeyPair;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.Session;
import org.sqlite.SQLiteConfig;

/**
 * Homes made by the client that kept a home as one JSON file (test resources, legacy-homes/)
 * opened by this one: everything moves into the database, and the devices go on talking.
 */
class LocalStoreMigrationTest {
  private static final String ALICE = "+8801711000001";
  private static final String BOB = "+8801811000002";
  private static final Base64.Decoder BASE64 = Base64.getDecoder();

  @TempDir
  Path dir;

  /** A copy of a legacy home, as a user's disk would hold it. */
  private Path legacyHome(String name) throws Exception {
    Path home = dir.resolve(name);
    Files.createDirectories(home);
    Files.copy(resource(name).resolve(LegacyStateFile.NAME), home.resolve(LegacyStateFile.NAME));
    return home;
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(LocalStoreMigrationTest.class.getResource("/legacy-homes/" + name).toURI());
  }

  private static JsonObject json(Path home) throws Exception {
    return new JsonObject(Files.readString(home.resolve(LegacyStateFile.NAME), StandardCharsets.UTF_8));
  }

  @Test
  void everyPartOfAHomeMovesIntoTheDatabaseAndTheJsonFileGoes() throws Exception {
    for (String name : List.of("alice-phone", "alice-laptop", "bob-phone")) {
      Path home = legacyHome(name);
      JsonObject legacy = json(home);
      try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
        assertEquals(legacy.getString("number"), store.number(), name);
        assertEquals(legacy.getLong("deviceId"), store.deviceId(), name);
        assertEquals(LocalStore.Status.REGISTERED, store.status(), name);
        assertEquals(legacy.getString("relayUrl"), store.relayUrl(), name);
        assertEquals(legacy.getInteger("registrationId"), store.registrationId(), name);
        assertArrayEquals(BASE64.decode(legacy.getString("accountKey")), store.accountKey(), name);
        byte[] seed = BASE64.decode(legacy.getString("identitySigningSeed"));
        assertArrayEquals(Ed25519KeyPair.fromSeed(seed).publicKey(), store.identity().orElseThrow().signing().publicKey());
        assertArrayEquals(BASE64.decode(legacy.getString("identityAgreementKey")),
            store.identity().orElseThrow().agreement().privateKey(), name);

        JsonObject oneTime = legacy.getJsonObject("oneTimePreKeys");
        assertEquals(oneTime.size(), store.oneTimePreKeyCount(), name);
        for (String id : oneTime.fieldNames()) {
          assertArrayEquals(BASE64.decode(oneTime.getString(id)), store.oneTimePreKey(Long.parseLong(id)).privateKey());
        }
        JsonObject signed = legacy.getJsonObject("signedPreKeys");
        for (String id : signed.fieldNames()) {
          assertArrayEquals(BASE64.decode(signed.getString(id)), store.signedPreKey(Long.parseLong(id)).privateKey());
        }
        assertEquals(legacy.getLong("nextOneTimePreKeyId"), store.nextOneTimePreKeyId(), name);
        assertEquals(legacy.getLong("nextSignedPreKeyId"), store.nextSignedPreKeyId(), name);

        JsonObject sessions = legacy.getJsonObject("sessions");
        assertEquals(2, sessions.size(), name + ": sessions with both other devices");
        for (String key : sessions.fieldNames()) {
          String[] device = key.split("/");
          List<Session> held = store.sessions(device[0], Long.parseLong(device[1]));
          JsonArray expected = sessions.getJsonArray(key);
          assertEquals(expected.size(), held.size(), key);
          for (int i = 0; i < held.size(); i++) {
            assertArrayEquals(BASE64.decode(expected.getString(i)), held.get(i).toBytes(), key);
          }
        }

        JsonObject accounts = legacy.getJsonObject("accounts");
        for (String number : accounts.fieldNames()) {
          KnownAccount account = store.account(number).orElseThrow();
          JsonObject expected = accounts.getJsonObject(number);
          assertArrayEquals(BASE64.decode(expected.getString("deviceList")), account.deviceList(), number);
          assertArrayEquals(BASE64.decode(expected.getString("accountKey")), account.accountKey(), number);
          assertEquals(expected.getJsonObject("registrationIds").size(), account.registrationIds().size(), number);
          expected.getJsonObject("registrationIds").forEach(id -> assertEquals(id.getValue(),
              account.registrationIds().get(Long.parseLong(id.getKey())), number));
        }

        JsonArray seen = legacy.getJsonArray("seen");
        assertFalse(seen.isEmpty());
        seen.forEach(id -> assertTrue(store.hasSeen((String) id), name + " forgot " + id));
        assertEquals(List.of("hello bob", "hi alice", "from the laptop", "both devices"),
            store.history().stream().map(HistoryEntry::body).toList(), name);
        HistoryEntry first = store.history().get(0);
        JsonObject expectedFirst = legacy.getJsonArray("history").getJsonObject(0);
        assertEquals(new HistoryEntry(expectedFirst.getString("id"), expectedFirst.getString("peer"),
            expectedFirst.getBoolean("outgoing"), expectedFirst.getString("from"), expectedFirst.getLong("fromDevice"),
            expectedFirst.getLong("timestamp"), expectedFirst.getString("body")), first);
      }
      assertFalse(Files.exists(home.resolve(LegacyStateFile.NAME)), name + ": the JSON file is gone");
      assertEquals("rw-------",
          PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve(LocalStore.STORE_FILE))));
    }
  }

  @Test
  void migratedSessionsGoOnEncryptingAndDecryptingBothWays() throws Exception {
    Path aliceHome = legacyHome("alice-phone");
    Path bobHome = legacyHome("bob-phone");
    try (LocalStore alice = LocalStore.open(aliceHome, KeySource.secure());
         LocalStore bob = LocalStore.open(bobHome, KeySource.secure())) {
      byte[] toAlice = bob.session(ALICE, 1).orElseThrow().encrypt(utf8("after the move"));
      assertArrayEquals(utf8("after the move"), alice.session(BOB, 1).orElseThrow().decrypt(toAlice));
      byte[] toBob = alice.session(BOB, 1).orElseThrow().encrypt(utf8("and back"));
      assertArrayEquals(utf8("and back"), bob.session(ALICE, 1).orElseThrow().decrypt(toBob));
      alice.save();
      bob.save();
    }
    // The steps just taken were saved like any other: the reopened sessions follow on.
    try (LocalStore alice = LocalStore.open(aliceHome, KeySource.secure());
         LocalStore bob = LocalStore.open(bobHome, KeySource.secure())) {
      byte[] again = bob.session(ALICE, 1).orElseThrow().encrypt(utf8("once more"));
      assertArrayEquals(utf8("once more"), alice.session(BOB, 1).orElseThrow().decrypt(again));
    }
  }

  /**
   * A crash during the migration's transaction leaves the database without it (SQLite keeps no
   * uncommitted change) and the JSON file as it was: the files are copied while a migration's
   * transaction is open, as a power cut would leave them, and the copy opens as the original.
   */
  @Test
  void aMigrationCutShortLeavesTheJsonFileToMigrateFromAgain() throws Exception {
    Path home = legacyHome("alice-laptop");
    byte[] before = Files.readAllBytes(home.resolve(LegacyStateFile.NAME));
    Path crashed = dir.resolve("crashed");
    Files.createDirectories(crashed);
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    try (Connection connection = DriverManager.getConnection(
        "jdbc:sqlite:" + home.resolve(LocalStore.STORE_FILE), config.toProperties())) {
      connection.setAutoCommit(false);
      StoreSchema.migrate(connection, home.resolve(LocalStore.STORE_FILE));
      StoreChanges.of(LegacyStateFile.read(home.resolve(LegacyStateFile.NAME))).apply(connection);
      try (Statement statement = connection.createStatement()) {
        // More than SQLite's page cache holds, so uncommitted pages reach the WAL file too.
        statement.execute("PRAGMA cache_size = 1");
        statement.execute("CREATE TABLE filler (data BLOB)");
        statement.execute("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
            INSERT INTO filler SELECT randomblob(4000) FROM n""");
      }
      for (String file : List.of(LocalStore.STORE_FILE, LocalStore.STORE_FILE + "-wal", LegacyStateFile.NAME)) {
        if (Files.exists(home.resolve(file))) {
          Files.copy(home.resolve(file), crashed.resolve(file));
        }
      }
      connection.rollback();
    }
    assertTrue(Files.size(crashed.resolve(LocalStore.STORE_FILE + "-wal")) > 50 * 4000, "the copy has uncommitted pages");
    assertArrayEquals(before, Files.readAllBytes(crashed.resolve(LegacyStateFile.NAME)));
    try (LocalStore store = LocalStore.open(crashed, KeySource.secure())) {
      assertEquals(ALICE, store.number());
      assertEquals(2, store.deviceId());
      assertEquals(4, store.history().size());
    }
    assertFalse(Files.exists(crashed.resolve(LegacyStateFile.NAME)));
  }

  /**
   * A crash after the migration committed but before the JSON file was deleted: the database is
   * the newer of the two (it may have changed since), so it wins and the file goes.
   */
  @Test
  void aJsonFileLeftBesideAMigratedDatabaseIsDeletedNotReadAgain() throws Exception {
    Path home = legacyHome("bob-phone");
    byte[] legacy = Files.readAllBytes(home.resolve(LegacyStateFile.NAME));
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      store.markLoggedOut(Delivery.Reason.REMOVED);
      store.save();
    }
    Files.write(home.resolve(LegacyStateFile.NAME), legacy);
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      assertEquals(LocalStore.Status.LOGGED_OUT, store.status());
      assertNotEquals(null, store.statusReason());
    }
    assertFalse(Files.exists(home.resolve(LegacyStateFile.NAME)));
  }

  @Test
  void aJsonFileThatCannotBeReadIsRefusedWithoutQuotingIt() throws Exception {
    Path home = dir.resolve("damaged");
    Files.createDirectories(home);
    Files.writeString(home.resolve(LegacyStateFile.NAME),
        "{\"format\": 1, \"identitySigningSeed\": \"not*base64*but*secret\"}");
    IOException refused = assertThrows(IOException.class, () -> LocalStore.open(home, KeySource.secure()));
    assertTrue(refused.getMessage().contains("is not a state file this version can read (line 1"),
        refused.getMessage());
    assertFalse(refused.getMessage().contains("secret"), refused.getMessage());
    assertTrue(Files.exists(home.resolve(LegacyStateFile.NAME)));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
