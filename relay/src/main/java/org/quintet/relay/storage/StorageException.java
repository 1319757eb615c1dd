package org.quintet.relay.storage;

import java.util.List;

/** A refusal the contract defines (a failed condition), as opposed to a backend failure. */
public final class StorageException extends RuntimeException {
  public enum Reason {
    /** The account does not exist. */
    NO_ACCOUNT,
    /** The device does not exist. */
    NO_DEVICE,
    /** The account already has its maximum number of companions. */
    TOO_MANY_DEVICES,
    /** The device id is not the account's next one (a race or a replay of a link). */
    DEVICE_ID_TAKEN,
    /** A compare-and-set on the device list lost: the list changed since it was read. */
    LIST_VERSION_CONFLICT,
    /** The account key changed since the caller read it (the number was registered again). */
    ACCOUNT_REPLACED,
    /** An enqueue would take queues past their quota ({@link #fullQueues()} names them); nothing was queued. */
    QUEUE_FULL,
    /** A new blob would take the account's blobs past their quota. */
    OVER_QUOTA,
    /** The blob does not exist (never, or no longer). */
    NO_BLOB,
    /** A blob's offset moved since the caller read it (another append came first). */
    BLOB_OFFSET_CONFLICT
  }

  private final Reason reason;
  private final List<FullQueue> fullQueues;

  public StorageException(Reason reason, String message) {
    this(reason, message, List.of());
  }

  private StorageException(Reason reason, String message, List<FullQueue> fullQueues) {
    super(message, null, false, false);
    this.reason = reason;
    this.fullQueues = List.copyOf(fullQueues);
  }

  /** The refusal of an enqueue that would take {@code full} past their quota. */
  public static StorageException queueFull(List<FullQueue> full) {
    return new StorageException(Reason.QUEUE_FULL, full.size() + " queue limits would be exceeded", full);
  }

  public Reason reason() {
    return reason;
  }

  /** For {@code QUEUE_FULL}: each queue and the limit it would go past; empty for other reasons. */
  public List<FullQueue> fullQueues() {
    return fullQueues;
  }
}
