package org.quintet.relay.storage;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/**
 * Everything the relay keeps. Futures fail with {@link StorageException} for the refusals named
 * below, and with other exceptions only when the backend itself fails. A future that succeeded
 * means the change is durable (for the embedded backend: synced to disk).
 */
public interface RelayStorage {

  // --- accounts and devices -------------------------------------------------------------------

  Future<Optional<Account>> account(String number);

  /**
   * Makes {@code primary} the primary of {@code number}, atomically: any earlier account of the
   * number is replaced, and all its devices, their prekeys and their queues are deleted. The
   * account's {@code nextDeviceId} carries over from the earlier account (at least 2). {@code now}
   * is the account's {@code registeredAt} and the primary's {@code createdAt} and {@code lastSeenAt}
   * (the values in {@code primary} are not used). Returns the devices that were deleted, so their
   * connections can be closed.
   */
  Future<List<Device>> registerPrimary(String number, byte[] accountKey, byte[] deviceList, long deviceListVersion,
      Device primary, PreKeys preKeys, long now);

  /**
   * Adds a companion, atomically, if and only if: the account exists ({@code NO_ACCOUNT} otherwise)
   * with {@code accountKey} ({@code ACCOUNT_REPLACED}), it has fewer than {@code maxCompanions}
   * companions ({@code TOO_MANY_DEVICES}) and {@code device.deviceId()} equals the account's
   * {@code nextDeviceId} ({@code DEVICE_ID_TAKEN}), checked in this order; then
   * {@code nextDeviceId} grows by one. {@code now} is the device's {@code createdAt} and
   * {@code lastSeenAt}.
   */
  Future<Void> addCompanion(byte[] accountKey, Device device, PreKeys preKeys, int maxCompanions, long now);

  /**
   * Replaces the signed device list if the account exists ({@code NO_ACCOUNT} otherwise), its key
   * is still {@code accountKey} ({@code ACCOUNT_REPLACED}) and the stored version is
   * {@code expectedVersion} ({@code LIST_VERSION_CONFLICT}), checked in this order.
   */
  Future<Void> replaceDeviceList(String number, byte[] accountKey, long expectedVersion, byte[] deviceList,
      long newVersion);

  Future<List<Device>> devices(String number);

  Future<Optional<Device>> device(String number, long deviceId);

  /** Every device, of any account, whose {@code lastSeenAt} is before {@code before}. */
  Future<List<Device>> devicesNotSeenSince(long before);

  /** Deletes a device with its prekeys and its queue; false when it did not exist. */
  Future<Boolean> removeDevice(String number, long deviceId);

  /** Records that the device was seen (authenticated) at {@code now}; {@code NO_DEVICE} if it does not exist. */
  Future<Void> touchDevice(String number, long deviceId, long now);

  /**
   * Gives the device a new name, the one the account's device lists show; {@code NO_DEVICE} if it
   * does not exist, so a rename that loses a race with {@link #removeDevice} brings nothing back.
   */
  Future<Void> renameDevice(String number, long deviceId, String name);

  // --- prekeys ----------------------------------------------------------------------------------

  /**
   * Stores a device's prekeys: replaces the signed prekey (when given), adds the one-time ones.
   * {@code NO_DEVICE} if the device does not exist, so keys uploaded by a device that was removed
   * meanwhile do not outlive it.
   */
  Future<Void> storePreKeys(String number, long deviceId, PreKeys preKeys);

  Future<Optional<byte[]>> signedPreKey(String number, long deviceId);

  /** Removes and returns one one-time prekey: each is handed out exactly once, even under races. */
  Future<Optional<byte[]>> takeOneTimePreKey(String number, long deviceId);

  Future<Integer> oneTimePreKeyCount(String number, long deviceId);

  // --- queues -----------------------------------------------------------------------------------

  /**
   * Appends envelopes to their devices' queues. Succeeds only once they are durable; many
   * concurrent calls may share one disk sync. The envelopes of one number are queued all or none.
   * A batch that names several numbers is all or none on the embedded backend; on Redis it is all
   * or none for each number, so a call that fails may have queued some numbers' envelopes: a caller
   * that sends the batch again then queues those twice, and clients drop the copy by its message
   * id (docs/storage.md, "What is atomic"). A batch with an envelope that has no number or no
   * bytes fails and queues nothing. Queues do not depend on device rows: an envelope
   * for a device id that has no device is queued all the same (so one that loses a race with
   * {@link #removeDevice} waits, unread, until it expires), and {@link #removeDevice} and
   * {@link #registerPrimary} delete the queues.
   */
  default Future<Void> enqueue(List<QueuedEnvelope> envelopes) {
    return enqueue(envelopes, QueueQuota.NONE);
  }

  /**
   * {@link #enqueue(List)} within a quota per queue: when the envelopes would take any of their
   * queues past {@code quota} (what the queue holds plus what the call adds, in envelopes or in
   * bytes of envelopes), the call is refused with {@code QUEUE_FULL}, naming every such queue and
   * limit ({@link StorageException#fullQueues()}), and nothing of it is queued, for any number of
   * the batch. The check and the write are one atomic step for each number, so calls that race
   * never together take a queue past its quota. (On Redis, where a batch's numbers are written side
   * by side, the envelopes of a number whose queues had room are withdrawn again before the call
   * fails: docs/storage.md.)
   */
  Future<Void> enqueue(List<QueuedEnvelope> envelopes, QueueQuota quota);

  /** Up to {@code limit} envelopes of a queue with {@code seq > afterSeq}, oldest first. */
  Future<List<StoredEnvelope>> peek(String number, long deviceId, long afterSeq, int limit);

  /**
   * Removes the envelopes with these seqs from one queue, in one step; returns those that were
   * queued (any order), leaving out seqs that were not (or no longer) in this queue.
   */
  Future<List<StoredEnvelope>> acknowledge(String number, long deviceId, List<Long> seqs);

  /** {@link #acknowledge(String, long, List)} of one seq: the envelope, or empty when it was not queued. */
  default Future<Optional<StoredEnvelope>> acknowledge(String number, long deviceId, long seq) {
    return acknowledge(number, deviceId, List.of(seq)).map(removed -> removed.stream().findFirst());
  }

  Future<Long> queueSize(String number, long deviceId);

  /**
   * Every envelope waiting in any queue, of every number (expired ones the purge has not deleted
   * yet included). It costs a pass over the queues, not one read: for a metric counted now and
   * then, not for a request's path.
   */
  Future<Long> queuedEnvelopes();

  /**
   * Deletes every envelope with {@code expiresAt <= now} and returns how many; pending registration
   * codes and used log-in challenges past their time go too (a store may also let them lapse on
   * their own).
   */
  Future<Long> purgeExpired(long now);

  // --- registration codes -----------------------------------------------------------------------

  Future<Void> putPendingVerification(PendingVerification pending);

  Future<Optional<PendingVerification>> pendingVerification(String number);

  /** Counts one wrong code; returns the number of wrong attempts so far (0 when none is pending). */
  Future<Integer> failVerification(String number);

  Future<Void> clearPendingVerification(String number);

  // --- log-in challenges ------------------------------------------------------------------------

  /**
   * Uses a log-in challenge up: true for the first call with these bytes, false for every later
   * one, on every node that shares the storage, at least until {@code expiresAt} (ms since the
   * epoch), after which the challenge is refused anyway and its record may go. Durable like any
   * write, so a used challenge stays used across a restart.
   */
  Future<Boolean> useChallenge(byte[] challenge, long expiresAt);

  // --- attachment blobs -------------------------------------------------------------------------

  /**
   * Records a new blob, atomically, if the account exists ({@code NO_ACCOUNT} otherwise) and its
   * blobs not yet expired at {@code blob.createdAt()}, this one included, add up to at most
   * {@code quotaBytes} of {@code length} ({@code OVER_QUOTA}), checked in this order.
   */
  Future<Void> createBlob(BlobRecord blob, long quotaBytes);

  Future<Optional<BlobRecord>> blob(String id);

  /**
   * Records that the blob holds {@code offset} bytes, if it held {@code expectedOffset}
   * ({@code NO_BLOB} if it does not exist, {@code BLOB_OFFSET_CONFLICT} if its offset is another)
   * and {@code offset} is at most its length. When the offset reaches the length, the blob is
   * complete and expires at {@code expiresAtWhenComplete}. Returns the blob as it is now.
   */
  Future<BlobRecord> advanceBlob(String id, long expectedOffset, long offset, long expiresAtWhenComplete);

  /** Deletes a blob's record; false when there was none. */
  Future<Boolean> deleteBlob(String id);

  /** Up to {@code limit} blobs that expire at or before {@code now}, the first to expire first. */
  Future<List<BlobRecord>> expiredBlobs(long now, int limit);

  /** Releases files, connections and threads. */
  Future<Void> close();
}
