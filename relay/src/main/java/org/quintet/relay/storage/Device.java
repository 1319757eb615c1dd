package org.quintet.relay.storage;

/**
 * One device of an account. {@code registrationId} is a random number the device chose when it
 * registered or linked; a sender names it with every envelope, so an envelope encrypted for an
 * earlier device under the same id is refused as stale. {@code cert} is the device certificate
 * (docs/protocol.md section 6.1), for the primary too.
 */
public record Device(
    String number, long deviceId, byte[] identityKey, int registrationId, byte[] cert, String name,
    String platform, long createdAt, long lastSeenAt) {

  public static final long PRIMARY = 1;

  public boolean isPrimary() {
    return deviceId == PRIMARY;
  }
}
