package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.IdentityKeyPair;
import org.quintet.protocol.KeySource;
import org.quintet.protocol.MemoryPreKeyStore;
import org.quintet.protocol.PreKeyBundle;
import org.quintet.protocol.Session;
import org.quintet.protocol.SignedPreKey;
import org.quintet.protocol.X25519KeyPair;
import org.quintet.protocol.X3dh;

/** What the store's database keeps, and when: saves are all-or-nothing, rows stay bounded, damage is named. */
class LocalStoreDatabaseTest {
  private static final String PEER = "+8801811000002";

  @TempDir
  Path dir;

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** A second connection to the home's database, as another program would open it. */
  private static Connection database(Path home) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + home.resolve(LocalStore.STORE_FILE));
  }

  private static long count(Path home, String table) throws SQLException {
    try (Connection connection = database(home); Statement statement = connection.createStatement();
         ResultSet row = statement.executeQuery("SELECT count(*) FROM " + table)) {
      row.next();
      return row.getLong(1);
    }
  }

  private static void execute(Path home, String sql) throws SQLException {
    try (Connection connection = database(home); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** A session with a peer whose own side sends; the peer's side for sending to ours. */
  private record Pair(Session ours, Session theirs) {
    static Pair start() throws Exception {
      IdentityKeyPair identity = IdentityKeyPair.generate(KeySource.secure());
      IdentityKeyPair peer = IdentityKeyPair.generate(KeySource.secure());
      SignedPreKey.Pair signed = SignedPreKey.generate(KeySource.secure(), peer, 1);
      Session ours = X3dh.initiate(KeySource.secure(), identity,
          new PreKeyBundle(peer.publicKey(), signed.record(), Optional.empty()));
      Session theirs = X3dh.accept(KeySource.secure(), peer,
          new MemoryPreKeyStore().addSignedPreKey(1, signed.keyPair()), ours.encrypt(utf8("hi"))).session();
      return new Pair(ours, theirs);
    }
  }

  @Test
  void changesNeverSavedAreNotThereAfterTheProcessEnds() throws Exception {
    Path home = dir.resolve("home");
    Pair pair = Pair.start();
    byte[] first = pair.theirs().encrypt(utf8("first"));
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      store.startOver("+8801711000001", LocalStore.Status.REGISTERED);
      store.addOneTimePreKey(1, KeySource.secure().newX25519());
      store.putSession(PEER, 1, pair.ours());
      store.save();
      // A received message taken in but not saved when the process ends.
      assertArrayEquals(utf8("first"), store.session(PEER, 1).orElseThrow().decrypt(first));
      store.removeOneTimePreKey(1);
      store.markSeen("01");
      store.addHistory(new HistoryEntry("01", PEER, false, PEER, 1, 10, "first"));
    }
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      assertFalse(store.hasSeen("01"));
      assertTrue(store.history().isEmpty());
      assertNotNull(store.oneTimePreKey(1));
      // The session is as saved, so the message that was not acknowledged opens again.
      assertArrayEquals(utf8("first"), store.session(PEER, 1).orElseThrow().decrypt(first));
    }
  }

  /**
   * A save that fails half way (here the database refuses its history row) keeps none of it, and
   * the next save writes everything, the failed one's rows included.
   */
  @Test
  void aSaveIsAllOrNothingAndAFailedOneIsWrittenByTheNext() throws Exception {
    Path home = dir.resolve("home");
    Pair pair = Pair.start();
    byte[] message = pair.theirs().encrypt(utf8("hello"));
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      store.startOver("+8801711000001", LocalStore.Status.REGISTERED);
      X25519KeyPair oneTime = KeySource.secure().newX25519();
      store.addOneTimePreKey(1, oneTime);
      store.putSession(PEER, 1, pair.ours());
      store.save();
      byte[] savedSession = store.session(PEER, 1).orElseThrow().toBytes();

      store.session(PEER, 1).orElseThrow().decrypt(message);
      store.removeOneTimePreKey(1);
      store.markSeen("01");
      store.addHistory(new HistoryEntry("01", PEER, false, PEER, 1, 10, "hello"));
      execute(home, "CREATE TRIGGER refuse BEFORE INSERT ON history BEGIN SELECT RAISE(ABORT, 'refused'); END");
      assertThrows(IOException.class, store::save);

      try (Connection connection = database(home); Statement statement = connection.createStatement()) {
        ResultSet session = statement.executeQuery("SELECT session FROM sessions");
        assertTrue(session.next());
        assertArrayEquals(savedSession, session.getBytes(1), "the session step is not kept alone");
      }
      assertEquals(0, count(home, "seen"));
      assertEquals(1, count(home, "one_time_prekeys"));

      execute(home, "DROP TRIGGER refuse");
      store.save();
    }
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      assertTrue(store.hasSeen("01"));
      assertEquals("hello", store.history().get(0).body());
      assertEquals(0, store.oneTimePreKeyCount());
    }
  }

  @Test
  void seenIdsAndHistoryStayBoundedOnDiskAcrossSaves() throws Exception {
    Path home = dir.resolve("home");
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      for (int i = 0; i < LocalStore.MAX_SEEN - 10; i++) {
        store.markSeen("id" + i);
        store.addHistory(new HistoryEntry("h" + i, PEER, true, "+8801711000001", 1, i, "text " + i));
      }
      store.save();
      for (int i = LocalStore.MAX_SEEN - 10; i < LocalStore.MAX_SEEN + 5; i++) {
        store.markSeen("id" + i);
        store.addHistory(new HistoryEntry("h" + i, PEER, true, "+8801711000001", 1, i, "text " + i));
        store.save();
      }
    }
    assertEquals(LocalStore.MAX_SEEN, count(home, "seen"));
    assertEquals(LocalStore.MAX_HISTORY, count(home, "history"));
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      assertFalse(store.hasSeen("id4"));
      assertTrue(store.hasSeen("id5"));
      assertEquals("h5", store.history().get(0).id());
      assertEquals("h" + (LocalStore.MAX_HISTORY + 4), store.history().get(LocalStore.MAX_HISTORY - 1).id());
      // The oldest still goes first after a reopen.
      store.markSeen("one more");
      store.save();
    }
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      assertFalse(store.hasSeen("id5"));
      assertTrue(store.hasSeen("id6"));
      assertTrue(store.hasSeen("one more"));
    }
  }

  @Test
  void theHistoryKeepsItsOrderAcrossMergesAndReopens() throws Exception {
    Path home = dir.resolve("home");
    HistoryEntry live = new HistoryEntry("02", PEER, false, PEER, 1, 20, "live");
    HistoryEntry older = new HistoryEntry("01", PEER, true, "+8801711000001", 1, 10, "older");
    HistoryEntry later = new HistoryEntry("03", PEER, false, PEER, 1, 30, "later");
    HistoryEntry late = new HistoryEntry("04", PEER, false, PEER, 1, 5, "sent with a slow clock");
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      store.addHistory(live);
      store.save();
      assertEquals(2, store.mergeHistory(List.of(later, older)));
      store.save();
      store.addHistory(late);
      store.save();
    }
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      assertEquals(List.of("older", "live", "later", "sent with a slow clock"),
          store.history().stream().map(HistoryEntry::body).toList());
    }
    assertEquals(4, count(home, "history"));
  }

  @Test
  void whatHappensToATextAfterItCameTheNamesAndTheSettingsSurviveAReopen() throws Exception {
    Path home = dir.resolve("home");
    Quote quote = new Quote("ab".repeat(16), PEER, "coming?");
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      store.addHistory(new HistoryEntry("01", PEER, true, "+8801711000001", 1, 10, "yes", quote, MessageStatus.SENT,
          0, List.of()));
      store.addHistory(new HistoryEntry("02", PEER, false, PEER, 1, 20, "typo"));
      store.addHistory(new HistoryEntry("03", PEER, false, PEER, 1, 30, "oops"));
      store.save();
      store.replaceHistory(store.historyEntry("01").orElseThrow().withStatus(MessageStatus.READ)
          .withReaction(new MessageReaction(PEER, "👍", 40)).withReaction(new MessageReaction("+8801711000001", "", 41)));
      store.replaceHistory(store.historyEntry("02").orElseThrow().withEdit("fixed", 50));
      store.replaceHistory(store.historyEntry("03").orElseThrow().withDeletion());
      assertTrue(store.putProfile(PEER, new ProfileName("Bob", 60)));
      assertFalse(store.putProfile(PEER, new ProfileName("Bobby", 59)), "an older name does not win");
      store.markProfileShared(PEER, 70);
      assertTrue(store.putSettings(false, 80));
      store.save();
    }
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      HistoryEntry reply = store.historyEntry("01").orElseThrow();
      assertEquals(quote, reply.quote());
      assertEquals(MessageStatus.READ, reply.status());
      assertEquals(List.of(new MessageReaction(PEER, "👍", 40)), reply.shownReactions());
      assertEquals(2, reply.reactions().size(), "a reaction taken back is kept, so that an older one stays out");
      assertEquals("fixed", store.historyEntry("02").orElseThrow().body());
      assertEquals(50, store.historyEntry("02").orElseThrow().editedAt());
      assertTrue(store.historyEntry("03").orElseThrow().deleted());
      assertEquals(new ProfileName("Bob", 60), store.profile(PEER).orElseThrow());
      assertEquals(70, store.profileSharedAt(PEER));
      assertFalse(store.readReceipts());
      assertFalse(store.putSettings(true, 79), "older settings do not win");

      assertEquals(1, store.removeHistory(List.of("01", "unknown")));
      store.save();
    }
    assertEquals(0, count(home, "reactions"), "a text's reactions go with it");
    assertEquals(2, count(home, "history"));
  }

  /** A store the previous version left (store version 2): its texts were read or sent, read receipts on. */
  @Test
  void aStoreOfTheVersionBeforeGainsTheStateOfItsTexts() throws Exception {
    Path home = dir.resolve("home");
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      store.addHistory(new HistoryEntry("01", PEER, true, "+8801711000001", 1, 10, "sent"));
      store.addHistory(new HistoryEntry("02", PEER, false, PEER, 1, 20, "received"));
      store.save();
    }
    for (String sql : List.of("ALTER TABLE history DROP COLUMN attachment", "DROP TRIGGER history_search_insert", "DROP TRIGGER history_search_update",
        "DROP TRIGGER history_search_delete", "DROP TABLE history_search", "DROP TABLE reactions", "DROP TABLE profiles", "DROP TABLE profile_shares",
        "ALTER TABLE history DROP COLUMN quote_id", "ALTER TABLE history DROP COLUMN quote_author",
        "ALTER TABLE history DROP COLUMN quote_body", "ALTER TABLE history DROP COLUMN status",
        "ALTER TABLE history DROP COLUMN edited_at", "ALTER TABLE device DROP COLUMN read_receipts",
        "ALTER TABLE device DROP COLUMN settings_timestamp", "PRAGMA user_version = 2")) {
      execute(home, sql);
    }
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      assertEquals(MessageStatus.SENT, store.historyEntry("01").orElseThrow().status());
      assertEquals(MessageStatus.READ, store.historyEntry("02").orElseThrow().status());
      assertEquals(0, store.unreadCount(PEER));
      assertTrue(store.readReceipts());
      assertTrue(store.profile(PEER).isEmpty());
    }
  }

  @Test
  void aDamagedDatabaseIsNamedInAClearErrorAndLeftAsItIs() throws Exception {
    Path home = dir.resolve("home");
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      store.startOver("+8801711000001", LocalStore.Status.CODE_REQUESTED);
      store.save();
    }
    byte[] garbage = new byte[8192];
    Arrays.fill(garbage, (byte) 0x5a);
    Files.write(home.resolve(LocalStore.STORE_FILE), garbage);
    IOException refused = assertThrows(IOException.class, () -> LocalStore.open(home, KeySource.secure()));
    assertTrue(refused.getMessage().contains(home.resolve(LocalStore.STORE_FILE) + " is not a store this client can use"),
        refused.getMessage());
    assertArrayEquals(garbage, Files.readAllBytes(home.resolve(LocalStore.STORE_FILE)));
    // The refusal let go of the home: the next attempt is refused for the same reason, not as "in use".
    assertFalse(assertThrows(IOException.class, () -> LocalStore.open(home, KeySource.secure()))
        instanceof HomeInUseException);
  }

  @Test
  void aDatabaseOfANewerClientIsRefusedUntouched() throws Exception {
    Path home = dir.resolve("home");
    LocalStore.open(home, KeySource.secure()).close();
    execute(home, "PRAGMA user_version = " + (StoreSchema.VERSION + 1));
    IOException refused = assertThrows(IOException.class, () -> LocalStore.open(home, KeySource.secure()));
    assertTrue(refused.getMessage().contains("newer client"), refused.getMessage());
    try (Connection connection = database(home); Statement statement = connection.createStatement();
         ResultSet row = statement.executeQuery("PRAGMA user_version")) {
      row.next();
      assertEquals(StoreSchema.VERSION + 1, row.getInt(1));
    }
  }
}
