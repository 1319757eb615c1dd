package org.quintet.relay.storage.redis;

import org.quintet.relay.redis.Script;

/**
 * The Lua scripts of every multi-step change, one file each in {@code lua/}. Each declares the
 * keys it touches in {@code KEYS}, all under one number's prefix (see {@link Keys}), so it runs in
 * one Cluster slot; {@code REGISTER_PRIMARY}, {@code DEVICES} and {@code PURGE_EXPIRED} also
 * derive keys of devices they find, from the number's prefix (docs/storage.md says why that stays
 * in the slot). Redis runs a script without interleaving anything else, but does not roll one
 * back: every script makes all its checks before its first write, and refuses with an error reply
 * "REFUSED REASON". The scripts of attachment blobs touch only keys of the {@code {blobs}} slot
 * ({@link Keys#blob}).
 */
final class Scripts {
  private Scripts() {}

  static final Script REGISTER_PRIMARY = Script.load("register_primary", "read_device", "put_device");
  static final Script ADD_COMPANION = Script.load("add_companion", "put_device");
  static final Script REPLACE_DEVICE_LIST = Script.load("replace_device_list");
  static final Script DEVICES = Script.load("devices", "read_device");
  static final Script REMOVE_DEVICE = Script.load("remove_device");
  static final Script TOUCH_DEVICE = Script.load("touch_device");
  static final Script RENAME_DEVICE = Script.load("rename_device");
  static final Script STORE_PREKEYS = Script.load("store_prekeys");
  static final Script ENQUEUE = Script.load("enqueue");
  static final Script ACKNOWLEDGE = Script.load("acknowledge", "queue_bytes");
  static final Script PURGE_EXPIRED = Script.load("purge_expired", "queue_bytes");
  static final Script PUT_VERIFICATION = Script.load("put_verification");
  static final Script FAIL_VERIFICATION = Script.load("fail_verification");
  static final Script CREATE_BLOB = Script.load("create_blob");
  static final Script ADVANCE_BLOB = Script.load("advance_blob");
  static final Script DELETE_BLOB = Script.load("delete_blob");
  static final Script EXPIRED_BLOBS = Script.load("expired_blobs");
}
