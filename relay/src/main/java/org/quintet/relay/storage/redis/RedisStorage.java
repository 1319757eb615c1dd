package org.quintet.relay.storage.redis;

import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.quintet.relay.RelayLimits;
import org.quintet.relay.metrics.RelayMetrics;
import org.quintet.relay.redis.RedisLink;
import org.quintet.relay.redis.Script;
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

/**
 * The storage of a relay cluster: Redis, standalone or Redis Cluster. Each multi-step change of
 * one number is one Lua script over that number's keys ({@link Keys}, {@link Scripts}), which are
 * passed to it explicitly, so it is atomic and stays in one Cluster slot. A future succeeds once Redis has answered the write, so
 * the durability is Redis's own: with {@code appendfsync always}, the write is on disk.
 *
 * <p>{@link #enqueue} is all or none for each number, not for the batch: envelopes for several
 * numbers are checked first, then written with one script per number (the numbers' keys are in
 * different slots), and when one number's script fails the others' envelopes stay queued while
 * the call fails.
 */
public final class RedisStorage implements RelayStorage {
  private final RedisLink redis;
  private final Timer commits;

  /** The storage over {@code redis}; closing the storage closes the link. */
  public RedisStorage(RedisLink redis) {
    this(redis, RelayMetrics.disabled());
  }

  /** The same, timing each write script in {@code metrics}. */
  public RedisStorage(RedisLink redis, RelayMetrics metrics) {
    this.redis = redis;
    this.commits = metrics.storageCommits(RelayMetrics.StorageBackend.REDIS);
  }

  /** A standalone Redis, e.g. {@code redis://127.0.0.1:6379}. */
  public static RedisStorage standalone(Vertx vertx, String connectionString) {
    return new RedisStorage(RedisLink.standalone(vertx, connectionString));
  }

  /** A Redis Cluster, found through any of its nodes, e.g. {@code redis://127.0.0.1:7000}. */
  public static RedisStorage cluster(Vertx vertx, List<String> nodes) {
    return new RedisStorage(RedisLink.cluster(vertx, nodes));
  }

  // --- accounts and devices -------------------------------------------------------------------

  @Override
  public Future<Optional<Account>> account(String number) {
    return redis.send(Request.cmd(Command.HMGET).arg(Keys.account(number))
            .arg("key").arg("list").arg("version").arg("next").arg("registered"))
        .map(f -> f.get(0) == null ? Optional.empty() : Optional.of(new Account(number, f.get(0).toBytes(),
            f.get(1).toBytes(), f.get(2).toLong(), f.get(3).toLong(), f.get(4).toLong())));
  }

  @Override
  public Future<List<Device>> registerPrimary(String number, byte[] accountKey, byte[] deviceList,
      long deviceListVersion, Device primary, PreKeys preKeys, long now) {
    // Listed before the account exists, so a crash in between leaves a number without an account
    // in the list, never an account missing from it.
    return redis.send(Request.cmd(Command.SADD).arg(Keys.NUMBERS).arg(number))
        .compose(added -> write(Scripts.REGISTER_PRIMARY, List.of(Keys.account(number), Keys.devices(number),
            Keys.queues(number), Keys.expiry(number), Keys.device(number, Device.PRIMARY),
            Keys.oneTimePreKeys(number, Device.PRIMARY), Keys.queueBytes(number)), r -> {
          r.arg(Keys.prefix(number)).arg(accountKey).arg(deviceList).arg(deviceListVersion).arg(now);
          deviceArgs(primary, preKeys).accept(r);
        }))
        .map(removed -> Decode.devices(number, removed));
  }

  @Override
  public Future<Void> addCompanion(byte[] accountKey, Device device, PreKeys preKeys, int maxCompanions, long now) {
    String number = device.number();
    return write(Scripts.ADD_COMPANION, List.of(Keys.account(number), Keys.devices(number),
        Keys.device(number, device.deviceId()), Keys.oneTimePreKeys(number, device.deviceId())), r -> {
      r.arg(accountKey).arg(maxCompanions).arg(device.deviceId()).arg(now);
      deviceArgs(device, preKeys).accept(r);
    }).mapEmpty();
  }

  @Override
  public Future<Void> replaceDeviceList(String number, byte[] accountKey, long expectedVersion, byte[] deviceList,
      long newVersion) {
    return write(Scripts.REPLACE_DEVICE_LIST, List.of(Keys.account(number)),
        r -> r.arg(accountKey).arg(expectedVersion).arg(deviceList).arg(newVersion)).mapEmpty();
  }

  @Override
  public Future<List<Device>> devices(String number) {
    return redis.eval(Scripts.DEVICES, List.of(Keys.devices(number)), r -> r.arg(Keys.prefix(number)))
        .map(list -> Decode.devices(number, list));
  }

  @Override
  public Future<Optional<Device>> device(String number, long deviceId) {
    return redis.send(Request.cmd(Command.HMGET).arg(Keys.device(number, deviceId))
            .arg("identity").arg("regid").arg("cert").arg("name").arg("platform").arg("created").arg("seen"))
        .map(f -> {
          if (f.get(0) == null) {
            return Optional.empty();
          }
          return Optional.of(new Device(number, deviceId, f.get(0).toBytes(), f.get(1).toInteger(),
              f.get(2).toBytes(), Decode.optionalText(f.get(3)), Decode.optionalText(f.get(4)), f.get(5).toLong(),
              f.get(6).toLong()));
        });
  }

  /**
   * Reads every device of every registered number: a sweep over all accounts, as often as the relay
   * looks for stale devices, rather than an index across slots that every touch would have to keep.
   */
  @Override
  public Future<List<Device>> devicesNotSeenSince(long before) {
    // SSCAN may name a number twice; a device is reported once.
    Map<String, Device> stale = new LinkedHashMap<>();
    return walk(Keys.NUMBERS, "0", number -> devices(number).map(devices -> {
      devices.stream().filter(device -> device.lastSeenAt() < before)
          .forEach(device -> stale.put(device.number() + "/" + device.deviceId(), device));
      return null;
    })).map(v -> List.copyOf(stale.values()));
  }

  /**
   * Runs {@code perNumber} for every member of a global set of numbers from SSCAN's
   * {@code cursor} on ("0": from the start), a page of {@link RelayLimits#REDIS_WALK_PAGE} at a
   * time, so that neither Redis nor this node takes the whole set at once however many accounts
   * there are. A member may be visited twice.
   */
  private Future<Void> walk(String set, String cursor, Function<String, Future<?>> perNumber) {
    return redis.send(Request.cmd(Command.SSCAN).arg(set).arg(cursor).arg("COUNT").arg(RelayLimits.REDIS_WALK_PAGE)).compose(page -> {
      List<Future<?>> calls = new ArrayList<>();
      for (Response number : page.get(1)) {
        calls.add(perNumber.apply(number.toString()));
      }
      String next = page.get(0).toString();
      return Future.all(calls).compose(all -> "0".equals(next) ? Future.succeededFuture()
          : walk(set, next, perNumber));
    });
  }

  @Override
  public Future<Boolean> removeDevice(String number, long deviceId) {
    return write(Scripts.REMOVE_DEVICE, List.of(Keys.devices(number), Keys.device(number, deviceId),
            Keys.oneTimePreKeys(number, deviceId), Keys.queue(number, deviceId), Keys.queues(number),
            Keys.expiry(number), Keys.queueBytes(number)), r -> r.arg(deviceId))
        .map(existed -> existed.toLong() == 1);
  }

  @Override
  public Future<Void> touchDevice(String number, long deviceId, long now) {
    return write(Scripts.TOUCH_DEVICE, List.of(Keys.device(number, deviceId)), r -> r.arg(now)).mapEmpty();
  }

  @Override
  public Future<Void> renameDevice(String number, long deviceId, String name) {
    return write(Scripts.RENAME_DEVICE, List.of(Keys.device(number, deviceId)),
        r -> r.arg(Decode.optionalText(name))).mapEmpty();
  }

  // --- prekeys ----------------------------------------------------------------------------------

  @Override
  public Future<Void> storePreKeys(String number, long deviceId, PreKeys preKeys) {
    return write(Scripts.STORE_PREKEYS, List.of(Keys.device(number, deviceId),
        Keys.oneTimePreKeys(number, deviceId)), preKeyArgs(preKeys)).mapEmpty();
  }

  @Override
  public Future<Optional<byte[]>> signedPreKey(String number, long deviceId) {
    return redis.send(Request.cmd(Command.HGET).arg(Keys.device(number, deviceId)).arg("spk"))
        .map(key -> Optional.ofNullable(key).map(Response::toBytes));
  }

  @Override
  public Future<Optional<byte[]>> takeOneTimePreKey(String number, long deviceId) {
    return redis.send(Request.cmd(Command.LPOP).arg(Keys.oneTimePreKeys(number, deviceId)))
        .map(key -> Optional.ofNullable(key).map(Response::toBytes));
  }

  @Override
  public Future<Integer> oneTimePreKeyCount(String number, long deviceId) {
    return redis.send(Request.cmd(Command.LLEN).arg(Keys.oneTimePreKeys(number, deviceId))).map(Response::toInteger);
  }

  // --- queues -----------------------------------------------------------------------------------

  /**
   * One script per number, side by side; each checks its number's queues against the quota before
   * it writes. When one refuses, the numbers whose scripts wrote have their envelopes withdrawn
   * (by their seqs, as an acknowledgement would) before the call fails, so a refused call leaves
   * nothing queued (docs/storage.md).
   */
  @Override
  public Future<Void> enqueue(List<QueuedEnvelope> envelopes, QueueQuota quota) {
    Map<String, List<QueuedEnvelope>> byNumber = new LinkedHashMap<>();
    for (QueuedEnvelope envelope : envelopes) {
      if (envelope.number() == null || envelope.envelope() == null) {
        return Future.failedFuture(new IllegalArgumentException("an envelope without its number or bytes"));
      }
      byNumber.computeIfAbsent(envelope.number(), number -> new ArrayList<>()).add(envelope);
    }
    List<Future<Enqueued>> writes = new ArrayList<>();
    byNumber.forEach((number, mine) -> writes.add(enqueue(number, mine, quota)));
    return Future.all(writes).compose(all -> {
      List<FullQueue> full = new ArrayList<>();
      writes.forEach(write -> full.addAll(write.result().full()));
      if (full.isEmpty()) {
        return Future.succeededFuture();
      }
      List<Future<?>> withdrawals = new ArrayList<>();
      writes.stream().map(Future::result).filter(written -> written.full().isEmpty())
          .forEach(written -> withdrawals.addAll(withdraw(written)));
      return Future.all(withdrawals).compose(withdrawn -> Future.failedFuture(StorageException.queueFull(full)));
    });
  }

  /** What one number's enqueue script did: its envelopes' seqs, in order, or the queues it found full. */
  private record Enqueued(String number, List<QueuedEnvelope> envelopes, List<Long> seqs, List<FullQueue> full) {}

  /**
   * The number goes into {@link Keys#QUEUED} before and after its envelopes: before, so that a crash
   * of this node cannot leave envelopes that no purge finds; after, because a purge that found the
   * number's queues empty may have taken it out in between.
   */
  private Future<Enqueued> enqueue(String number, List<QueuedEnvelope> envelopes, QueueQuota quota) {
    List<String> keys = new ArrayList<>(List.of(Keys.seq(number), Keys.expiry(number), Keys.queues(number),
        Keys.queueBytes(number)));
    envelopes.forEach(envelope -> keys.add(Keys.queue(number, envelope.deviceId())));
    Request listQueued = Request.cmd(Command.SADD).arg(Keys.QUEUED).arg(number);
    return redis.send(listQueued)
        .compose(listed -> write(Scripts.ENQUEUE, keys, r -> {
          r.arg(quota.maxEnvelopes() == Long.MAX_VALUE ? -1 : quota.maxEnvelopes())
              .arg(quota.maxBytes() == Long.MAX_VALUE ? -1 : quota.maxBytes());
          for (QueuedEnvelope envelope : envelopes) {
            r.arg(envelope.deviceId()).arg(envelope.expiresAt()).arg(envelope.envelope());
          }
        }))
        .compose(written -> {
          if ("FULL".equals(written.get(0).toString())) {
            List<FullQueue> full = new ArrayList<>();
            for (int i = 1; i + 1 < written.size(); i += 2) {
              full.add(new FullQueue(number, written.get(i).toLong(),
                  "bytes".equals(written.get(i + 1).toString()) ? QueueQuota.Limit.BYTES : QueueQuota.Limit.ENVELOPES));
            }
            return Future.succeededFuture(new Enqueued(number, envelopes, List.of(), full));
          }
          List<Long> seqs = new ArrayList<>();
          for (int i = 1; i < written.size(); i++) {
            seqs.add(written.get(i).toLong());
          }
          return redis.send(Request.cmd(Command.SADD).arg(Keys.QUEUED).arg(number))
              .map(listed -> new Enqueued(number, envelopes, seqs, List.of()));
        });
  }

  /** Takes a number's envelopes that were just queued out again, one acknowledgement per device. */
  private List<Future<?>> withdraw(Enqueued written) {
    Map<Long, List<Long>> seqsByDevice = new LinkedHashMap<>();
    for (int i = 0; i < written.envelopes().size(); i++) {
      seqsByDevice.computeIfAbsent(written.envelopes().get(i).deviceId(), id -> new ArrayList<>())
          .add(written.seqs().get(i));
    }
    List<Future<?>> withdrawals = new ArrayList<>();
    seqsByDevice.forEach((deviceId, seqs) -> withdrawals.add(acknowledge(written.number(), deviceId, seqs)));
    return withdrawals;
  }

  @Override
  public Future<List<StoredEnvelope>> peek(String number, long deviceId, long afterSeq, int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    return redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(Keys.queue(number, deviceId)).arg("(" + afterSeq)
            .arg("+inf").arg("LIMIT").arg(0).arg(limit))
        .map(members -> {
          List<StoredEnvelope> queue = new ArrayList<>(members.size());
          for (Response member : members) {
            queue.add(Decode.envelope(member));
          }
          return queue;
        });
  }

  @Override
  public Future<List<StoredEnvelope>> acknowledge(String number, long deviceId, List<Long> seqs) {
    if (seqs.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return write(Scripts.ACKNOWLEDGE, List.of(Keys.queue(number, deviceId), Keys.expiry(number),
        Keys.queueBytes(number)), r -> {
      r.arg(deviceId);
      seqs.forEach(r::arg);
    }).map(members -> {
      List<StoredEnvelope> removed = new ArrayList<>();
      members.forEach(member -> removed.add(Decode.envelope(member)));
      return removed;
    });
  }

  @Override
  public Future<Long> queueSize(String number, long deviceId) {
    return redis.send(Request.cmd(Command.ZCARD).arg(Keys.queue(number, deviceId))).map(Response::toLong);
  }

  /**
   * The numbers that may have queued envelopes, a page at a time, and for each the size of its
   * expiry index, which has one entry per queued envelope of the number. SSCAN may name a number
   * twice; it is counted once.
   */
  @Override
  public Future<Long> queuedEnvelopes() {
    AtomicLong queued = new AtomicLong();
    Set<String> counted = ConcurrentHashMap.newKeySet();
    return walk(Keys.QUEUED, "0", number -> !counted.add(number) ? Future.succeededFuture()
        : redis.send(Request.cmd(Command.ZCARD).arg(Keys.expiry(number))).onSuccess(count ->
            queued.addAndGet(count.toLong()))).map(v -> queued.get());
  }

  /** One script per number with queued envelopes; a number whose queues are empty leaves the list. */
  @Override
  public Future<Long> purgeExpired(long now) {
    AtomicLong removed = new AtomicLong();
    return walk(Keys.QUEUED, "0", number -> purgeExpired(number, now).onSuccess(removed::addAndGet))
        .map(v -> removed.get());
  }

  private Future<Long> purgeExpired(String number, long now) {
    return write(Scripts.PURGE_EXPIRED, List.of(Keys.expiry(number), Keys.queueBytes(number)),
        r -> r.arg(Keys.prefix(number)).arg(now))
        .compose(counts -> {
          long removed = counts.get(0).toLong();
          if (counts.get(1).toLong() > 0) {
            return Future.succeededFuture(removed);
          }
          return redis.send(Request.cmd(Command.SREM).arg(Keys.QUEUED).arg(number)).map(removed);
        });
  }

  // --- registration codes -----------------------------------------------------------------------

  @Override
  public Future<Void> putPendingVerification(PendingVerification pending) {
    return write(Scripts.PUT_VERIFICATION, List.of(Keys.verification(pending.number())),
        r -> r.arg(pending.codeHash()).arg(pending.salt()).arg(pending.expiresAt()).arg(pending.failedAttempts())
            .arg(pending.lastSentAt()).arg(pending.expiresAt() - pending.lastSentAt()))
        .mapEmpty();
  }

  @Override
  public Future<Optional<PendingVerification>> pendingVerification(String number) {
    return redis.send(Request.cmd(Command.HMGET).arg(Keys.verification(number))
            .arg("hash").arg("salt").arg("expires").arg("failed").arg("sent"))
        .map(f -> f.get(0) == null ? Optional.empty() : Optional.of(new PendingVerification(number,
            f.get(0).toBytes(), f.get(1).toBytes(), f.get(2).toLong(), f.get(3).toInteger(), f.get(4).toLong())));
  }

  @Override
  public Future<Integer> failVerification(String number) {
    return write(Scripts.FAIL_VERIFICATION, List.of(Keys.verification(number)), r -> {})
        .map(Response::toInteger);
  }

  @Override
  public Future<Void> clearPendingVerification(String number) {
    return redis.send(Request.cmd(Command.DEL).arg(Keys.verification(number))).mapEmpty();
  }

  // --- log-in challenges ------------------------------------------------------------------------

  /** One command: SET NX decides the first use on every node, and the key lapses with the challenge. */
  @Override
  public Future<Boolean> useChallenge(byte[] challenge, long expiresAt) {
    return redis.send(Request.cmd(Command.SET).arg(Keys.usedChallenge(challenge)).arg("1").arg("NX")
        .arg("PXAT").arg(expiresAt)).map(set -> set != null);
  }

  // --- attachment blobs -------------------------------------------------------------------------

  /**
   * The account's existence is read before the script: the account's keys are in its number's
   * slot, the blobs' in {@code {blobs}}. A blob created for an account removed in between is
   * harmless: an authenticated device asked for it, and the sweep deletes it.
   */
  @Override
  public Future<Void> createBlob(BlobRecord blob, long quotaBytes) {
    return account(blob.number()).compose(account -> {
      if (account.isEmpty()) {
        return Future.failedFuture(new StorageException(Reason.NO_ACCOUNT, "no account " + blob.number()));
      }
      return write(Scripts.CREATE_BLOB, List.of(Keys.blob(blob.id()), Keys.blobsOf(blob.number()), Keys.BLOB_EXPIRY),
          r -> r.arg(blob.id()).arg(blob.number()).arg(blob.deviceId()).arg(blob.length()).arg(blob.offset())
              .arg(blob.createdAt()).arg(blob.expiresAt()).arg(quotaBytes).arg(Keys.BLOB_PREFIX)).mapEmpty();
    });
  }

  @Override
  public Future<Optional<BlobRecord>> blob(String id) {
    return redis.send(Request.cmd(Command.HMGET).arg(Keys.blob(id)).arg("number").arg("device").arg("length")
        .arg("offset").arg("created").arg("expires"))
        .map(fields -> fields.get(0) == null ? Optional.empty() : Optional.of(blobRecord(id, fields, 0)));
  }

  @Override
  public Future<BlobRecord> advanceBlob(String id, long expectedOffset, long offset, long expiresAtWhenComplete) {
    return write(Scripts.ADVANCE_BLOB, List.of(Keys.blob(id), Keys.BLOB_EXPIRY),
        r -> r.arg(id).arg(expectedOffset).arg(offset).arg(expiresAtWhenComplete).arg(Keys.BLOBS_OF_PREFIX))
        .map(fields -> blobRecord(id, fields, 0));
  }

  @Override
  public Future<Boolean> deleteBlob(String id) {
    return write(Scripts.DELETE_BLOB, List.of(Keys.blob(id), Keys.BLOB_EXPIRY),
        r -> r.arg(id).arg(Keys.BLOBS_OF_PREFIX)).map(deleted -> deleted.toInteger() == 1);
  }

  @Override
  public Future<List<BlobRecord>> expiredBlobs(long now, int limit) {
    return redis.eval(Scripts.EXPIRED_BLOBS, List.of(Keys.BLOB_EXPIRY), r -> r.arg(now).arg(limit).arg(Keys.BLOB_PREFIX))
        .map(list -> {
          List<BlobRecord> blobs = new ArrayList<>(list.size());
          list.forEach(row -> blobs.add(blobRecord(row.get(0).toString(), row, 1)));
          return blobs;
        });
  }

  /** A blob from its fields number, device, length, offset, created, expires, from index {@code at}. */
  private static BlobRecord blobRecord(String id, Response fields, int at) {
    return new BlobRecord(id, fields.get(at).toString(), fields.get(at + 1).toLong(), fields.get(at + 2).toLong(),
        fields.get(at + 3).toLong(), fields.get(at + 4).toLong(), fields.get(at + 5).toLong());
  }

  @Override
  public Future<Void> close() {
    return redis.close();
  }

  /**
   * Runs a script that writes: the storage's durable write step, timed from the call to Redis's
   * answer (an answer that is a refusal included; a call that never got one is not a write's time).
   */
  private Future<Response> write(Script script, List<String> keys, Consumer<Request> args) {
    long started = System.nanoTime();
    return redis.eval(script, keys, args).andThen(done -> {
      if (done.succeeded() || done.cause() instanceof StorageException) {
        commits.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      }
    });
  }

  // --- script arguments -------------------------------------------------------------------------

  /** A device as the scripts' putDevice reads it. */
  private static Consumer<Request> deviceArgs(Device device, PreKeys preKeys) {
    return r -> {
      r.arg(device.identityKey()).arg(device.registrationId()).arg(device.cert())
          .arg(Decode.optionalText(device.name())).arg(Decode.optionalText(device.platform()));
      preKeyArgs(preKeys).accept(r);
    };
  }

  /** Whether there is a signed prekey, the signed prekey (empty when none), the one-time prekeys. */
  private static Consumer<Request> preKeyArgs(PreKeys preKeys) {
    return r -> {
      boolean signed = preKeys.signedPreKey() != null;
      r.arg(signed ? "1" : "0").arg(signed ? preKeys.signedPreKey() : new byte[0]);
      preKeys.oneTimePreKeys().forEach(r::arg);
    };
  }
}
