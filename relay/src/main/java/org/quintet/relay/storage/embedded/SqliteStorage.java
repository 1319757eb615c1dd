package org.quintet.relay.storage.embedded;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.quintet.relay.PrivateFiles;
import org.quintet.relay.RelayLimits;
import org.quintet.relay.metrics.RelayMetrics;
import org.quintet.relay.storage.Account;
import org.quintet.relay.storage.BlobRecord;
import org.quintet.relay.storage.Device;
import org.quintet.relay.storage.FullQueue;
import org.quintet.relay.storage.PendingVerification;
import org.quintet.relay.storage.PreKeys;
import org.quintet.relay.storage.QueueQuota;
import org.quintet.relay.storage.QueuedEnvelope;
import org.quintet.relay.storage.RelayStorage;
import org.quintet.relay.storage.StorageException;
import org.quintet.relay.storage.StorageException.Reason;
import org.quintet.relay.storage.StoredEnvelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage of a single relay node: one SQLite database in WAL mode with synchronous=FULL.
 *
 * <p>The storage owns its threads, so JDBC never runs on an event loop or on Vert.x's shared worker
 * pool: one {@link GroupCommitWriter} runs every write, and a few {@link Reader}s run the queries.
 * Because every write goes through the one writer, each multi-step change is a plain sequence of
 * statements that no other write can interleave with (races such as two links for the same device
 * id, or two takes of the last one-time prekey, are decided by the order of the writer's queue).
 * Futures complete on the context of the caller.
 */
public final class SqliteStorage implements RelayStorage {
  /** The database file inside the data directory (SQLite keeps its -wal and -shm files beside it). */
  public static final String FILE_NAME = "relay.db";

  private static final long FIRST_COMPANION_ID = Device.PRIMARY + 1;
  private static final Logger log = LoggerFactory.getLogger(SqliteStorage.class);

  private final Vertx vertx;
  private final JobQueue writes = new JobQueue();
  private final JobQueue reads = new JobQueue();
  private final GroupCommitWriter writer;
  private final AtomicInteger runningThreads;
  private final Promise<Void> stopped = Promise.promise();

  private SqliteStorage(Vertx vertx, Connection writerConnection, List<Connection> readerConnections, Timer commits) {
    this.vertx = vertx;
    this.runningThreads = new AtomicInteger(1 + readerConnections.size());
    this.writer = new GroupCommitWriter(writerConnection, writes, this::threadStopped, commits);
    start(writer, "quintet-storage-writer");
    for (int i = 0; i < readerConnections.size(); i++) {
      start(new Reader(readerConnections.get(i), reads, this::threadStopped), "quintet-storage-reader-" + (i + 1));
    }
  }

  /**
   * Opens (creating when needed) the database in {@code dataDir}. The file work runs on a thread of
   * its own; the future completes on the caller's context.
   */
  public static Future<SqliteStorage> open(Vertx vertx, Path dataDir) {
    return open(vertx, dataDir, RelayMetrics.disabled());
  }

  /** The same, timing each group commit in {@code metrics}. */
  public static Future<SqliteStorage> open(Vertx vertx, Path dataDir, RelayMetrics metrics) {
    Timer commits = metrics.storageCommits(RelayMetrics.StorageBackend.SQLITE);
    Context context = vertx.getOrCreateContext();
    Promise<SqliteStorage> opened = Promise.promise();
    Thread opener = new Thread(() -> {
      try {
        SqliteStorage storage = openNow(vertx, dataDir, commits);
        context.runOnContext(ignored -> opened.complete(storage));
      } catch (IOException | SQLException | RuntimeException e) {
        context.runOnContext(ignored -> opened.fail(e));
      }
    }, "quintet-storage-open");
    opener.setDaemon(true);
    opener.start();
    return opened.future();
  }

  private static SqliteStorage openNow(Vertx vertx, Path dataDir, Timer commits) throws IOException, SQLException {
    // The relay's user alone reads the data: SQLite gives the WAL and shared-memory files it makes
    // the database file's permissions, and those an earlier version made are narrowed here.
    PrivateFiles.directory(dataDir);
    Path file = dataDir.resolve(FILE_NAME);
    PrivateFiles.file(file);
    PrivateFiles.ifExists(dataDir.resolve(FILE_NAME + "-wal"));
    PrivateFiles.ifExists(dataDir.resolve(FILE_NAME + "-shm"));
    List<Connection> connections = new ArrayList<>();
    try {
      connections.add(Connections.writer(file));
      Schema.prepare(connections.get(0));
      for (int i = 0; i < RelayLimits.SQLITE_READERS; i++) {
        connections.add(Connections.reader(file));
      }
    } catch (SQLException | RuntimeException e) {
      connections.forEach(Connections::close);
      throw e;
    }
    log.info("storage open: {} (schema version {})", file, Schema.VERSION);
    return new SqliteStorage(vertx, connections.get(0), connections.subList(1, connections.size()), commits);
  }

  /** How many transactions the writer committed since it started: how tests and measurements see group commit. */
  long commitCount() {
    return writer.commits();
  }

  /** How many times the writer emptied the WAL since it started. */
  long scrubCount() {
    return writer.scrubs();
  }

  // --- accounts and devices -------------------------------------------------------------------

  @Override
  public Future<Optional<Account>> account(String number) {
    return read(connection -> AccountTable.find(connection, number));
  }

  @Override
  public Future<List<Device>> registerPrimary(String number, byte[] accountKey, byte[] deviceList,
      long deviceListVersion, Device primary, PreKeys preKeys, long now) {
    if (!primary.isPrimary() || !primary.number().equals(number)) {
      return Future.failedFuture(new IllegalArgumentException("the primary must be device 1 of the number"));
    }
    return write(connection -> {
      long nextDeviceId = AccountTable.find(connection, number).map(Account::nextDeviceId).orElse(FIRST_COMPANION_ID);
      List<Device> removed = DeviceTable.list(connection, number);
      EnvelopeTable.deleteAll(connection, number);
      OneTimePreKeyTable.deleteAll(connection, number);
      DeviceTable.deleteAll(connection, number);
      AccountTable.put(connection, new Account(number, accountKey, deviceList, deviceListVersion,
          Math.max(nextDeviceId, FIRST_COMPANION_ID), now));
      DeviceTable.insert(connection, primary, preKeys.signedPreKey(), now);
      OneTimePreKeyTable.add(connection, number, Device.PRIMARY, preKeys.oneTimePreKeys());
      return removed;
    });
  }

  @Override
  public Future<Void> addCompanion(byte[] accountKey, Device device, PreKeys preKeys, int maxCompanions, long now) {
    String number = device.number();
    return write(connection -> {
      Account account = AccountTable.find(connection, number)
          .orElseThrow(() -> new StorageException(Reason.NO_ACCOUNT, "no account for the number"));
      if (!Arrays.equals(account.accountKey(), accountKey)) {
        throw new StorageException(Reason.ACCOUNT_REPLACED, "the number was registered again");
      }
      if (DeviceTable.companionCount(connection, number) >= maxCompanions) {
        throw new StorageException(Reason.TOO_MANY_DEVICES, "the account has " + maxCompanions + " companions already");
      }
      if (device.deviceId() != account.nextDeviceId()) {
        throw new StorageException(Reason.DEVICE_ID_TAKEN,
            "the next device id is " + account.nextDeviceId() + ", not " + device.deviceId());
      }
      DeviceTable.insert(connection, device, preKeys.signedPreKey(), now);
      OneTimePreKeyTable.add(connection, number, device.deviceId(), preKeys.oneTimePreKeys());
      AccountTable.setNextDeviceId(connection, number, account.nextDeviceId() + 1);
      return null;
    });
  }

  @Override
  public Future<Void> replaceDeviceList(String number, byte[] accountKey, long expectedVersion, byte[] deviceList,
      long newVersion) {
    return write(connection -> {
      Account account = AccountTable.find(connection, number)
          .orElseThrow(() -> new StorageException(Reason.NO_ACCOUNT, "no account for the number"));
      if (!Arrays.equals(account.accountKey(), accountKey)) {
        throw new StorageException(Reason.ACCOUNT_REPLACED, "the number was registered again");
      }
      if (account.deviceListVersion() != expectedVersion) {
        throw new StorageException(Reason.LIST_VERSION_CONFLICT,
            "the stored list has version " + account.deviceListVersion() + ", not " + expectedVersion);
      }
      AccountTable.setDeviceList(connection, number, deviceList, newVersion);
      return null;
    });
  }

  @Override
  public Future<List<Device>> devices(String number) {
    return read(connection -> DeviceTable.list(connection, number));
  }

  @Override
  public Future<List<Device>> devicesNotSeenSince(long before) {
    return read(connection -> DeviceTable.notSeenSince(connection, before));
  }

  @Override
  public Future<Optional<Device>> device(String number, long deviceId) {
    return read(connection -> DeviceTable.find(connection, number, deviceId));
  }

  @Override
  public Future<Boolean> removeDevice(String number, long deviceId) {
    return write(connection -> {
      EnvelopeTable.deleteQueue(connection, number, deviceId);
      OneTimePreKeyTable.deleteDevice(connection, number, deviceId);
      return DeviceTable.delete(connection, number, deviceId);
    });
  }

  @Override
  public Future<Void> touchDevice(String number, long deviceId, long now) {
    return write(connection -> {
      if (!DeviceTable.touch(connection, number, deviceId, now)) {
        throw noDevice(deviceId);
      }
      return null;
    });
  }

  @Override
  public Future<Void> renameDevice(String number, long deviceId, String name) {
    return write(connection -> {
      if (!DeviceTable.rename(connection, number, deviceId, name)) {
        throw noDevice(deviceId);
      }
      return null;
    });
  }

  // --- prekeys ----------------------------------------------------------------------------------

  @Override
  public Future<Void> storePreKeys(String number, long deviceId, PreKeys preKeys) {
    return write(connection -> {
      // Without this check, keys uploaded by a device that was just removed would outlive it.
      if (!DeviceTable.exists(connection, number, deviceId)) {
        throw noDevice(deviceId);
      }
      if (preKeys.signedPreKey() != null) {
        DeviceTable.setSignedPreKey(connection, number, deviceId, preKeys.signedPreKey());
      }
      OneTimePreKeyTable.add(connection, number, deviceId, preKeys.oneTimePreKeys());
      return null;
    });
  }

  @Override
  public Future<Optional<byte[]>> signedPreKey(String number, long deviceId) {
    return read(connection -> DeviceTable.signedPreKey(connection, number, deviceId));
  }

  @Override
  public Future<Optional<byte[]>> takeOneTimePreKey(String number, long deviceId) {
    return write(connection -> OneTimePreKeyTable.take(connection, number, deviceId));
  }

  @Override
  public Future<Integer> oneTimePreKeyCount(String number, long deviceId) {
    return read(connection -> (int) OneTimePreKeyTable.count(connection, number, deviceId));
  }

  // --- queues -----------------------------------------------------------------------------------

  /** The quota is checked in the writer's transaction that appends the envelopes: no write comes between. */
  @Override
  public Future<Void> enqueue(List<QueuedEnvelope> envelopes, QueueQuota quota) {
    if (envelopes.isEmpty()) {
      return Future.succeededFuture();
    }
    return write(connection -> {
      if (!quota.isNone()) {
        List<FullQueue> full = QueueUsageTable.over(connection, envelopes, quota);
        if (!full.isEmpty()) {
          throw StorageException.queueFull(full);
        }
      }
      EnvelopeTable.append(connection, envelopes);
      return null;
    });
  }

  @Override
  public Future<List<StoredEnvelope>> peek(String number, long deviceId, long afterSeq, int limit) {
    if (limit < 0) {
      // SQLite reads a negative LIMIT as no limit at all.
      return Future.failedFuture(new IllegalArgumentException("negative limit"));
    }
    return read(connection -> EnvelopeTable.peek(connection, number, deviceId, afterSeq, limit));
  }

  @Override
  public Future<List<StoredEnvelope>> acknowledge(String number, long deviceId, List<Long> seqs) {
    return write(connection -> EnvelopeTable.remove(connection, number, deviceId, seqs));
  }

  @Override
  public Future<Long> queueSize(String number, long deviceId) {
    return read(connection -> EnvelopeTable.size(connection, number, deviceId));
  }

  @Override
  public Future<Long> queuedEnvelopes() {
    return read(EnvelopeTable::count);
  }

  @Override
  public Future<Long> purgeExpired(long now) {
    return write(connection -> {
      VerificationTable.deleteExpired(connection, now);
      ChallengeTable.deleteExpired(connection, now);
      return EnvelopeTable.deleteExpired(connection, now);
    });
  }

  // --- registration codes -----------------------------------------------------------------------

  @Override
  public Future<Void> putPendingVerification(PendingVerification pending) {
    return write(connection -> {
      VerificationTable.put(connection, pending);
      return null;
    });
  }

  @Override
  public Future<Optional<PendingVerification>> pendingVerification(String number) {
    return read(connection -> VerificationTable.find(connection, number));
  }

  @Override
  public Future<Integer> failVerification(String number) {
    return write(connection -> VerificationTable.fail(connection, number));
  }

  @Override
  public Future<Void> clearPendingVerification(String number) {
    return write(connection -> {
      VerificationTable.delete(connection, number);
      return null;
    });
  }

  // --- log-in challenges ------------------------------------------------------------------------

  @Override
  public Future<Boolean> useChallenge(byte[] challenge, long expiresAt) {
    return write(connection -> ChallengeTable.use(connection, challenge, expiresAt));
  }

  // --- attachment blobs -------------------------------------------------------------------------

  @Override
  public Future<Void> createBlob(BlobRecord blob, long quotaBytes) {
    return write(connection -> {
      BlobTable.create(connection, blob, quotaBytes);
      return null;
    });
  }

  @Override
  public Future<Optional<BlobRecord>> blob(String id) {
    return read(connection -> BlobTable.find(connection, id));
  }

  @Override
  public Future<BlobRecord> advanceBlob(String id, long expectedOffset, long offset, long expiresAtWhenComplete) {
    return write(connection -> BlobTable.advance(connection, id, expectedOffset, offset, expiresAtWhenComplete));
  }

  @Override
  public Future<Boolean> deleteBlob(String id) {
    return write(connection -> BlobTable.delete(connection, id));
  }

  @Override
  public Future<List<BlobRecord>> expiredBlobs(long now, int limit) {
    return read(connection -> BlobTable.expired(connection, now, limit));
  }

  /**
   * Stops taking calls, lets the threads finish what was already accepted, and closes the
   * connections (SQLite checkpoints the WAL into the database file when the last one closes).
   */
  @Override
  public Future<Void> close() {
    writes.close();
    reads.close();
    Context context = vertx.getOrCreateContext();
    Promise<Void> closed = Promise.promise();
    stopped.future().onSuccess(ignored -> context.runOnContext(none -> closed.complete()));
    return closed.future();
  }

  private <T> Future<T> write(SqlWork<T> work) {
    return submit(writes, work);
  }

  private <T> Future<T> read(SqlWork<T> work) {
    return submit(reads, work);
  }

  private <T> Future<T> submit(JobQueue queue, SqlWork<T> work) {
    Job<T> job = new Job<>(work, vertx.getOrCreateContext());
    return queue.offer(job) ? job.future() : Future.failedFuture(new IllegalStateException("the storage is closed"));
  }

  private void threadStopped() {
    if (runningThreads.decrementAndGet() == 0) {
      stopped.complete();
    }
  }

  private static void start(Runnable loop, String name) {
    Thread thread = new Thread(loop, name);
    // Nothing is lost if the JVM exits under a running thread: a write is acknowledged only after
    // its commit, so the threads need not keep the JVM alive.
    thread.setDaemon(true);
    thread.start();
  }

  private static StorageException noDevice(long deviceId) {
    return new StorageException(Reason.NO_DEVICE, "no device " + deviceId + " for the number");
  }
}
