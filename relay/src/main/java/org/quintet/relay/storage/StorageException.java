package org.quintet.relay.storage;

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
    ACCOUNT_REPLACED
  }

  private final Reason reason;

  public StorageException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
