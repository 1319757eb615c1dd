package org.quintet.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.protocol.Delivery;
import org.quintet.protocol.KeySource;

/**
 * Searching a device's texts: the index follows every way a text changes or goes, a home of the
 * version before gains it, and a query is a person's words in any script, never FTS5 syntax.
 */
class LocalStoreSearchTest {
  private static final String ALICE = "+8801711000001";
  private static final String BOB = "+8801811000002";
  private static final String CAROL = "+8801911000003";

  @TempDir
  Path dir;

  private static HistoryEntry fromBob(String id, long timestamp, String body) {
    return new HistoryEntry(id, BOB, false, BOB, 1, timestamp, body);
  }

  /** The ids of the saved texts that hold the words, the best first. */
  private static List<String> ids(LocalStore store, String words) throws Exception {
    return store.search(SearchQuery.of(words, 100)).stream().map(SearchHit::id).toList();
  }

  /** A second connection to the home's database, as another program would open it. */
  private static Connection database(Path home) throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + home.resolve(LocalStore.STORE_FILE));
  }

  private static List<Long> column(Path home, String sql) throws SQLException {
    List<Long> values = new ArrayList<>();
    try (Connection connection = database(home); Statement statement = connection.createStatement();
         ResultSet row = statement.executeQuery(sql)) {
      while (row.next()) {
        values.add(row.getLong(1));
      }
    }
    return values;
  }

  private static void execute(Path home, String... sql) throws SQLException {
    try (Connection connection = database(home); Statement statement = connection.createStatement()) {
      for (String each : sql) {
        statement.execute(each);
      }
    }
  }

  /** The index holds exactly the texts that have a body: no entry left behind, none missing. */
  private static void assertIndexInStep(Path home) throws SQLException {
    assertEquals(column(home, "SELECT seq FROM history WHERE body IS NOT NULL ORDER BY seq"),
        column(home, "SELECT rowid FROM history_search ORDER BY rowid"));
  }

  @Test
  void theIndexFollowsATextAddedEditedDeletedMergedAndWiped() throws Exception {
    Path home = dir.resolve("home");
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      store.addHistory(fromBob("01", 10, "dinner at eight?"));
      store.addHistory(new HistoryEntry("02", BOB, true, ALICE, 2, 20, "dinner sounds good"));
      store.addHistory(fromBob("03", 30, "dinner rolls please"));
      store.save();
      assertEquals(List.of(new SearchHit("02", BOB, ALICE, 2, 20, true, "dinner sounds good")),
          store.search(SearchQuery.of("sounds", 10)), "a hit is the text as the store holds it");
      assertEquals(List.of("03", "02", "01"), ids(store, "dinner"), "texts that match as well: the latest first");

      store.replaceHistory(store.historyEntry("01").orElseThrow().withEdit("lunch at noon?", 40));
      store.save();
      assertEquals(List.of("03", "02"), ids(store, "dinner"), "an edit takes the old words out");
      assertEquals(List.of("01"), ids(store, "lunch"), "and puts the new ones in");

      store.replaceHistory(store.historyEntry("03").orElseThrow().withDeletion());
      store.save();
      assertEquals(List.of("02"), ids(store, "dinner"), "deleted for everyone");

      store.removeHistory(List.of("02"));
      store.save();
      assertEquals(List.of(), ids(store, "dinner"), "deleted for me");
      assertIndexInStep(home);

      // The primary's history arrives: older texts are sorted in and every later one moves to a new place.
      assertEquals(2, store.mergeHistory(List.of(fromBob("00", 5, "dinner yesterday was lovely"),
          new HistoryEntry("04", CAROL, false, CAROL, 1, 7, "dinner with Carol"))));
      store.save();
      assertEquals(List.of("04", "00"), ids(store, "dinner"));
      assertEquals(List.of("01"), ids(store, "lunch"), "a text that moved is found once, at its new place");
      assertIndexInStep(home);
    }
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      assertEquals(List.of("04", "00"), ids(store, "dinner"), "the index is in the database, not rebuilt");
      store.wipe(Delivery.Reason.REMOVED);
      store.save();
      assertEquals(List.of(), ids(store, "dinner"), "logging out leaves nothing to find");
    }
    assertIndexInStep(home);
  }

  /** A program that changes the history table by itself keeps the index in step too: the triggers do it. */
  @Test
  void anyWriterOfTheHistoryKeepsTheIndexInStep() throws Exception {
    Path home = dir.resolve("home");
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      store.addHistory(fromBob("01", 10, "first words"));
      store.addHistory(fromBob("02", 20, "second words"));
      store.save();
    }
    execute(home, "UPDATE history SET body = 'changed words' WHERE id = '01'",
        "UPDATE history SET body = NULL WHERE id = '02'");
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      assertEquals(List.of("01"), ids(store, "words"));
      assertEquals(List.of("01"), ids(store, "changed"));
      assertEquals(List.of(), ids(store, "first"));
    }
    assertIndexInStep(home);
  }

  /**
   * Bengali words are found whole: SQLite's default unicode61 tokenizer takes the vowel signs and
   * the virama (Unicode marks) for separators, which would find "কেমন" in "কি মন" and "বাং" in "বই".
   */
  @Test
  void bengaliAndEnglishWordsAreFoundByTheirBeginnings() throws Exception {
    Path home = dir.resolve("home");
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      store.addHistory(fromBob("01", 10, "কেমন আছেন?"));
      store.addHistory(fromBob("02", 20, "কি মন খারাপ"));
      store.addHistory(fromBob("03", 30, "আমি বাংলায় লিখছি, বন্ধু"));
      store.addHistory(fromBob("04", 40, "বই পড়ো"));
      store.addHistory(fromBob("05", 50, "Dinner tonight?"));
      store.addHistory(fromBob("06", 60, "Crème brûlée at the café"));
      store.save();

      assertEquals(List.of("01"), ids(store, "কেমন"));
      assertEquals(List.of("01"), ids(store, "আছে"), "a Bengali word typed in part");
      assertEquals(List.of("03"), ids(store, "বাং"));
      assertEquals(List.of("03"), ids(store, "বন্ধু"), "a word with a virama");
      assertEquals(List.of("02"), ids(store, "কি"), "a two-letter word");
      assertEquals(List.of("02"), ids(store, "মন খারাপ"));
      assertEquals(List.of("05"), ids(store, "din"), "an English word typed in part, in any case");
      assertEquals(List.of("06"), ids(store, "cafe creme"), "without its accents");
      assertEquals(List.of("06"), ids(store, "BRÛLÉE"));
      assertEquals(List.of(), ids(store, "dinner café"), "every word must be in the text");
    }
  }

  @Test
  void whatAPersonTypesIsNeverQuerySyntax() throws Exception {
    Path home = dir.resolve("home");
    String marked = "he said \"yes\" AND -nay: col:x NEAR(a b) 50% ^top *star {braces} +plus";
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      store.addHistory(fromBob("01", 10, marked));
      store.addHistory(fromBob("02", 20, "dinner tonight"));
      store.addHistory(fromBob("03", 30, "dinner at eight"));
      store.addHistory(fromBob("04", 40, "to be or not to be"));
      store.save();

      for (String typed : List.of("\"yes\"", "\"yes", "yes\"", "AND", "-nay:", "col:x", "NEAR(a", "50%", "^top",
          "*star", "{braces}", "+plus", "said \"yes\" AND -nay: col:x NEAR(a b) 50% ^top *star {braces} +plus", marked)) {
        assertEquals(List.of("01"), ids(store, typed), typed);
      }
      assertEquals(List.of("04"), ids(store, "or not"), "words, not operators");
      assertEquals(List.of(), ids(store, "dinner OR tonight OR eight"), "OR is a word the texts must hold");
      assertEquals(List.of(), ids(store, "dinner NOT tonight"));
      assertEquals(List.of("02"), ids(store, "dinner -tonight"), "a minus sign is not a NOT");
      for (String nothing : List.of("\"", "*", "\"\"", "-", ":", "(", ")", "^", "\" *")) {
        assertEquals(List.of(), ids(store, nothing), "no word of the texts in " + nothing);
      }
      assertEquals(List.of("02"), ids(store, "din\u0000ton"), "a control character separates words");
    }
  }

  @Test
  void aQueryWithoutWordsOrALimitBelowOneIsRefused() {
    for (String empty : new String[] {"", "   ", "\t\n", "\u0000", null}) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> SearchQuery.of(empty, 10));
      assertEquals("a search needs at least one word to look for", refused.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> SearchQuery.of("dinner", 0));
  }

  /**
   * A home of store version 3 (before search) gains the index of the texts it holds when it opens,
   * and the texts after them are indexed as they come.
   */
  @Test
  void aStoreOfTheVersionBeforeIndexesTheTextsItHolds() throws Exception {
    Path home = dir.resolve("home");
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      store.addHistory(fromBob("01", 10, "kept from before"));
      store.addHistory(fromBob("02", 20, "deleted before").withDeletion());
      store.addHistory(fromBob("03", 30, "also kept before"));
      store.save();
    }
    execute(home, "ALTER TABLE history DROP COLUMN attachment", "DROP TRIGGER history_search_insert", "DROP TRIGGER history_search_update",
        "DROP TRIGGER history_search_delete", "DROP TABLE history_search", "PRAGMA user_version = 3");
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      assertEquals(List.of("03", "01"), ids(store, "kept before"));
      assertEquals(List.of(), ids(store, "deleted"));
      store.addHistory(fromBob("04", 40, "kept after"));
      store.save();
      assertEquals(List.of("04", "03", "01"), ids(store, "kept"));
    }
    assertEquals(List.of((long) StoreSchema.VERSION), column(home, "PRAGMA user_version"));
    assertIndexInStep(home);
  }

  /** The client's search: the best first, as many as asked, what it saved before the call included. */
  @Test
  void theClientAnswersTheBestMatchesFirstUpToTheLimit() throws Exception {
    Path home = dir.resolve("home");
    try (LocalStore store = LocalStore.open(home, KeySource.secure())) {
      store.addHistory(fromBob("01", 10, "dinner tonight"));
      store.addHistory(fromBob("02", 20, "dinner dinner"));
      store.addHistory(fromBob("03", 30, "dinner is at eight, bring something for the dinner table, and a friend"));
      store.save();
    }
    Vertx vertx = Vertx.vertx();
    try (QuintetClient client = QuintetClient.open(vertx, home, null)) {
      assertEquals(List.of("02", "01", "03"), await(client.search("dinner", 10)).stream().map(SearchHit::id).toList(),
          "twice in two words, then once in two, then twice in many");
      assertEquals(List.of("02"), await(client.search("dinner", 1)).stream().map(SearchHit::id).toList());
      CompletionException refused = assertThrows(CompletionException.class, () -> await(client.search(" ", 10)));
      assertTrue(refused.getCause() instanceof IllegalArgumentException, refused.toString());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
  }

  private static <T> T await(Future<T> future) {
    return future.toCompletionStage().toCompletableFuture().join();
  }
}
