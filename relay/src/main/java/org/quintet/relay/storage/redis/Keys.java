package org.quintet.relay.storage.redis;

/**
 * The key layout. Every key of a number starts with {@code q:{NUMBER}:}: the braces make the number
 * the key's hash tag, so all of a number's keys live in one Redis Cluster slot and one script can
 * change them together. The keys (docs/storage.md has the table):
 *
 * <ul>
 *   <li>{@code account}: hash of key, list, version, next (device id), registered;
 *   <li>{@code devices}: sorted set of the device ids, scored by id;
 *   <li>{@code device:ID}: hash of identity, regid, cert, name, platform, created, seen, spk;
 *   <li>{@code otk:ID}: list of one-time prekeys, oldest first;
 *   <li>{@code seq}: the number's envelope counter, never deleted, so a seq is never reused;
 *   <li>{@code queue:ID}: sorted set of envelopes scored by seq, each member "SEQ:EXPIRES:BYTES";
 *   <li>{@code queues}: set of the device ids that have had a queue (a queue needs no device);
 *   <li>{@code expiry}: sorted set of "ID:SEQ" scored by expiry, for purging;
 *   <li>{@code verification}: hash of hash, salt, expires, failed, sent;
 *   <li>{@code queue-bytes}: hash of device id to the bytes of envelopes in its queue, for the quota.
 * </ul>
 *
 * A used log-in challenge has a key of its own, {@code q:{challenge:HEX}:used}, which lapses when
 * the challenge does.
 *
 * Two keys are global, each in a slot of its own, and are never touched in the same script as a
 * number's keys: {@link #NUMBERS} and {@link #QUEUED}.
 *
 * Attachment blobs are looked up by id alone, by any device: their keys share the slot of the hash
 * tag {@code {blobs}}, so that one script checks an account's quota and records a blob: a hash per
 * blob ({@link #blob}: number, device, length, offset, created, expires), a sorted set of each
 * account's blobs ({@link #blobsOf}) and one of every blob ({@link #BLOB_EXPIRY}), both scored by
 * expiry.
 */
final class Keys {
  /** Every registered number (accounts are never deleted), for {@code devicesNotSeenSince}. */
  static final String NUMBERS = "q:numbers";
  /** Numbers that may have queued envelopes, for {@code purgeExpired}. */
  static final String QUEUED = "q:queued";

  /** Every attachment blob's id, scored by when it expires, for the sweep. */
  static final String BLOB_EXPIRY = "q:{blobs}:expiry";
  static final String BLOB_PREFIX = "q:{blobs}:blob:";
  static final String BLOBS_OF_PREFIX = "q:{blobs}:of:";

  private Keys() {}

  static String blob(String id) {
    return BLOB_PREFIX + id;
  }

  static String blobsOf(String number) {
    return BLOBS_OF_PREFIX + number;
  }

  /** What every key of the number starts with; scripts that derive keys are given it. */
  static String prefix(String number) {
    return "q:{" + number + "}:";
  }

  static String account(String number) {
    return prefix(number) + "account";
  }

  static String devices(String number) {
    return prefix(number) + "devices";
  }

  static String device(String number, long deviceId) {
    return prefix(number) + "device:" + deviceId;
  }

  static String oneTimePreKeys(String number, long deviceId) {
    return prefix(number) + "otk:" + deviceId;
  }

  static String seq(String number) {
    return prefix(number) + "seq";
  }

  static String queue(String number, long deviceId) {
    return prefix(number) + "queue:" + deviceId;
  }

  static String queues(String number) {
    return prefix(number) + "queues";
  }

  static String expiry(String number) {
    return prefix(number) + "expiry";
  }

  static String verification(String number) {
    return prefix(number) + "verification";
  }

  static String queueBytes(String number) {
    return prefix(number) + "queue-bytes";
  }

  static String usedChallenge(byte[] challenge) {
    return "q:{challenge:" + java.util.HexFormat.of().formatHex(challenge) + "}:used";
  }
}
