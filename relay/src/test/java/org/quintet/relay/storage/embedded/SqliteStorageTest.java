package org.quintet.relay.storage.embedded;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.quintet.relay.storage.Account;
import org.quintet.relay.storage.FullQueue;
import org.quintet.relay.storage.PendingVerification;
import org.quintet.relay.storage.PreKeys;
import org.quintet.relay.storage.QueueQuota;
import org.quintet.relay.storage.QueuedEnvelope;
import org.quintet.relay.storage.RelayStorage;
import org.quintet.relay.storage.StorageContractTest;
import org.quintet.relay.storage.StorageException;
import org.quintet.relay.storage.StorageException.Reason;
import org.quintet.relay.storage.StoredEnvelope;

/** The contract on the SQLite backend, and what only the SQLite backend has: files, WAL, group commit. */
class SqliteStorageTest extends StorageContractTest {
  /** Enough rows that inserting them keeps the writer busy while many small writes queue up. */
  private static final int BIG_BATCH = 20_000;

  @TempDir
  Path dataDir;

  @Override
  protected Future<? extends RelayStorage> openEmpty(Vertx vertx) {
    return SqliteStorage.open(vertx, dataDir);
  }

  /** One call is one transaction (a savepoint of the group commit), whatever numbers it names. */
  @Override
  protected BatchAtomicity enqueueAtomicity() {
    return BatchAtomicity.WHOLE_BATCH;
  }

  /** A trigger that aborts the insert of the number's envelopes, as a failing disk would. */
  @Override
  protected void breakEnqueuesFor(String number) throws SQLException {
    try (Connection connection = openDirectly()) {
      Sql.update(connection, "CREATE TRIGGER broken_number BEFORE INSERT ON envelopes WHEN NEW.number = '" + number
          + "' BEGIN SELECT RAISE(ABORT, 'the write failed'); END");
    }
  }

  @Override
  protected void mendEnqueues(String number) throws SQLException {
    try (Connection connection = openDirectly()) {
      Sql.update(connection, "DROP TRIGGER broken_number");
    }
  }

  @Test
  void everythingSurvivesCloseAndReopen() {
    registerAlice();
    link(ALICE, ALICE_KEY, 2);
    await(storage.replaceDeviceList(ALICE, ALICE_KEY, 1, bytes("list v2"), 2));
    await(storage.enqueue(List.of(queued(ALICE, 2, "kept"), queued(ALICE, 2, "acknowledged"))));
    long acknowledged = await(storage.peek(ALICE, 2, 0, 10)).get(1).seq();
    await(storage.acknowledge(ALICE, 2, acknowledged));
    await(storage.putPendingVerification(new PendingVerification(BOB, bytes("hash"), bytes("salt"), NOW, 1, NOW)));

    reopen();

    Account account = await(storage.account(ALICE)).orElseThrow();
    assertArrayEquals(bytes("list v2"), account.deviceList());
    assertEquals(3, account.nextDeviceId());
    assertEquals(List.of(1L, 2L), ids(await(storage.devices(ALICE))));
    assertArrayEquals(bytes("signed companion 2"), await(storage.signedPreKey(ALICE, 2)).orElseThrow());
    assertEquals(2, await(storage.oneTimePreKeyCount(ALICE, 2)));
    assertEquals(List.of("kept"), texts(await(storage.peek(ALICE, 2, 0, 10))));
    assertEquals(1, await(storage.pendingVerification(BOB)).orElseThrow().failedAttempts());
    await(storage.enqueue(List.of(queued(ALICE, 2, "after reopening"))));
    assertTrue(await(storage.peek(ALICE, 2, 0, 10)).get(1).seq() > acknowledged, "seq is never reused");
  }

  /**
   * A kill of the process, not a power cut: what the killed JVM wrote stays in the OS's page cache,
   * synced or not, so this shows that no write is acknowledged before it is written and that a
   * call's envelopes go together, not that synchronous=FULL is needed (docs/storage.md).
   */
  @Test
  @Timeout(180)
  void acknowledgedEnvelopesSurviveAKill() throws IOException, InterruptedException {
    Path killedDir = dataDir.resolve("killed");
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), EnqueueUntilKilled.class.getName(), killedDir.toString())
        .redirectError(Redirect.INHERIT)
        .start();
    Set<Long> acknowledged = new HashSet<>();
    boolean killedWhileWriting = false;
    try (BufferedReader output = new BufferedReader(new InputStreamReader(child.getInputStream(), US_ASCII))) {
      // Lines printed before the kill are still in the pipe after it, and count as acknowledged.
      // The kill goes through the ProcessHandle: Process.destroyForcibly() would also close the
      // pipe and lose them.
      for (String line = output.readLine(); line != null; line = output.readLine()) {
        if (line.startsWith(EnqueueUntilKilled.ACKED)) {
          acknowledged.add(Long.parseLong(line.substring(EnqueueUntilKilled.ACKED.length())));
          if (acknowledged.size() == 3000) {
            killedWhileWriting = child.isAlive();
            child.toHandle().destroyForcibly();
          }
        }
      }
    } finally {
      child.destroyForcibly();
      assertTrue(child.waitFor(60, TimeUnit.SECONDS));
    }
    assertTrue(killedWhileWriting, "the writer was still writing when it was killed");
    assertTrue(acknowledged.size() >= 3000);

    await(storage.close());
    storage = await(SqliteStorage.open(vertx, killedDir));

    Set<Long> first = queuedIds(1);
    Set<Long> second = queuedIds(2);
    Set<Long> lost = new HashSet<>(acknowledged);
    lost.removeAll(first);
    assertEquals(Set.of(), lost, "acknowledged but lost");
    assertEquals(first, second, "each call queued both of its envelopes or neither");
  }

  @Test
  void concurrentWritesShareCommits() {
    SqliteStorage sqlite = (SqliteStorage) storage;
    long before = sqlite.commitCount();

    List<Future<Void>> writes = new ArrayList<>();
    writes.add(storage.enqueue(bigBatch()));
    for (int i = 0; i < 500; i++) {
      writes.add(storage.enqueue(List.of(queued(ALICE, 1, "message " + i))));
    }
    writes.forEach(StorageContractTest::await);

    long commits = sqlite.commitCount() - before;
    assertTrue(commits <= 10, commits + " commits for 501 writes");
    assertEquals(500L, await(storage.queueSize(ALICE, 1)));
  }

  @Test
  void aFailingWriteDoesNotFailTheOthersInItsCommit() {
    registerAlice();
    SqliteStorage sqlite = (SqliteStorage) storage;
    long before = sqlite.commitCount();

    Future<Void> busy = storage.enqueue(bigBatch());
    Future<Void> first = storage.enqueue(List.of(queued(ALICE, 1, "first")));
    Future<Void> broken = storage.enqueue(List.of(queued(ALICE, 1, "with a broken one"),
        new QueuedEnvelope(ALICE, 1, null, NOW)));
    Future<Void> refused = storage.touchDevice(BOB, 1, NOW);
    Future<Void> linked = storage.addCompanion(ALICE_KEY, device(ALICE, 2), new PreKeys(null, List.of()),
        MAX_COMPANIONS, NOW);
    Future<Void> last = storage.enqueue(List.of(queued(ALICE, 1, "last")));

    await(busy);
    await(first);
    assertInstanceOf(SQLException.class, failure(broken));
    assertEquals(Reason.NO_DEVICE, assertInstanceOf(StorageException.class, failure(refused)).reason());
    await(linked);
    await(last);
    assertEquals(List.of("first", "last"), texts(await(storage.peek(ALICE, 1, 0, 10))));
    assertEquals(List.of(1L, 2L), ids(await(storage.devices(ALICE))));
    long commits = sqlite.commitCount() - before;
    assertTrue(commits <= 3, commits + " commits for 6 writes");
  }

  @Test
  void futuresCompleteOnTheCallersContext() throws Exception {
    Context caller = vertx.getOrCreateContext();
    CompletableFuture<List<String>> where = new CompletableFuture<>();
    caller.runOnContext(ignored -> storage.enqueue(List.of(queued(ALICE, 1, "hello")))
        .map(written -> place(caller))
        .compose(afterWrite -> storage.queueSize(ALICE, 1).map(size -> List.of(afterWrite, place(caller))))
        .onComplete(result -> where.complete(result.result())));

    assertEquals(List.of("caller's context", "caller's context"), where.get(30, TimeUnit.SECONDS));
  }

  @Test
  void aClosedStorageRefusesCalls() {
    await(storage.close());

    assertInstanceOf(IllegalStateException.class, failure(storage.account(ALICE)));
    assertInstanceOf(IllegalStateException.class, failure(storage.enqueue(List.of(queued(ALICE, 1, "late")))));
    await(storage.close());
  }

  @Test
  void theDatabaseIsInWalModeAndCarriesItsSchemaVersion() throws SQLException {
    try (Connection connection = openDirectly()) {
      assertEquals("wal", Sql.one(connection, "PRAGMA journal_mode", row -> row.getString(1)).orElseThrow());
      assertEquals(Schema.VERSION, Sql.number(connection, "SELECT version FROM schema_version"));
    }
  }

  @Test
  void aDatabaseOfAnotherSchemaVersionIsNotOpened() throws SQLException {
    await(storage.close());
    try (Connection connection = openDirectly()) {
      Sql.update(connection, "UPDATE schema_version SET version = ?", Schema.VERSION + 1);
    }

    Throwable refused = failure(SqliteStorage.open(vertx, dataDir));

    assertTrue(refused.getMessage().contains("schema version " + (Schema.VERSION + 1)), refused.getMessage());
  }

  /**
   * A relay of the first version left envelopes: opening its database brings it to this version in
   * one step, and the quota counts what was queued before.
   */
  @Test
  void aDatabaseOfVersionOneIsBroughtUpToDateWithItsQueuesCounted() throws SQLException, IOException {
    Path old = dataDir.resolve("version-1");
    java.nio.file.Files.createDirectories(old);
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + old.resolve(SqliteStorage.FILE_NAME))) {
      for (String statement : Schema.VERSION_1) {
        Sql.execute(connection, statement);
      }
      Sql.execute(connection, "CREATE TABLE schema_version (version INTEGER NOT NULL)");
      Sql.update(connection, "INSERT INTO schema_version (version) VALUES (1)");
      for (String content : List.of("one", "two", "three")) {
        Sql.update(connection, "INSERT INTO envelopes (number, device_id, envelope, expires_at) VALUES (?, 1, ?, ?)",
            ALICE, bytes(content), NOW + 1000);
      }
    }
    await(storage.close());
    storage = await(SqliteStorage.open(vertx, old));

    try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + old.resolve(SqliteStorage.FILE_NAME))) {
      assertEquals(Schema.VERSION, Sql.number(connection, "SELECT version FROM schema_version"));
    }
    QueueQuota four = new QueueQuota(4, 13);
    assertEquals(List.of(new FullQueue(ALICE, 1, QueueQuota.Limit.ENVELOPES)),
        assertInstanceOf(StorageException.class, failure(storage.enqueue(List.of(queued(ALICE, 1, "a"),
            queued(ALICE, 1, "b")), four))).fullQueues());
    assertEquals(List.of(new FullQueue(ALICE, 1, QueueQuota.Limit.BYTES)),
        assertInstanceOf(StorageException.class, failure(storage.enqueue(List.of(queued(ALICE, 1, "four")), four)))
            .fullQueues(), "11 bytes were queued before");
    await(storage.enqueue(List.of(queued(ALICE, 1, "x")), four));
    await(storage.acknowledge(ALICE, 1, await(storage.peek(ALICE, 1, 0, 1)).get(0).seq()));
    await(storage.enqueue(List.of(queued(ALICE, 1, "y")), four));
    assertEquals(List.of("two", "three", "x", "y"), texts(await(storage.peek(ALICE, 1, 0, 10))));
    assertTrue(await(storage.useChallenge(bytes("a challenge"), NOW)));
  }

  /** Where a callback runs: on the caller's context (an event loop), or somewhere else. */
  private static String place(Context caller) {
    boolean onEventLoop = Thread.currentThread().getName().startsWith("vert.x-eventloop-thread-");
    return Vertx.currentContext() == caller && onEventLoop ? "caller's context" : Thread.currentThread().getName();
  }

  private void reopen() {
    await(storage.close());
    storage = await(SqliteStorage.open(vertx, dataDir));
  }

  private Connection openDirectly() throws SQLException {
    return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteStorage.FILE_NAME));
  }

  private Set<Long> queuedIds(long deviceId) {
    List<StoredEnvelope> queue = await(storage.peek(EnqueueUntilKilled.NUMBER, deviceId, 0, Integer.MAX_VALUE));
    return queue.stream().map(envelope -> EnqueueUntilKilled.id(envelope.envelope())).collect(Collectors.toSet());
  }

  private static List<QueuedEnvelope> bigBatch() {
    List<QueuedEnvelope> envelopes = new ArrayList<>();
    for (int i = 0; i < BIG_BATCH; i++) {
      envelopes.add(EnqueueUntilKilled.envelope(9, i));
    }
    return envelopes;
  }
}
