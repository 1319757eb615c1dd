package org.quintet.relay.storage.redis;

import org.quintet.relay.redis.Script;

/**
 * The Lua scripts of every multi-step change. Each takes one key, the number's prefix (see
 * {@link Keys}), and touches only keys under it, so it runs in one Cluster slot. Redis runs a
 * script without interleaving anything else, but does not roll one back: every script makes all
 * its checks before its first write, and refuses with an error reply "REFUSED REASON".
 */
final class Scripts {
  private Scripts() {}

  /** Device fields as the scripts return them: id, identity, regid, cert, name, platform, created, seen. */
  private static final String READ_DEVICE = """
      local function readDevice(p, id)
        local f = redis.call('HMGET', p .. 'device:' .. id, 'identity', 'regid', 'cert', 'name', 'platform',
          'created', 'seen')
        return {id, f[1], f[2], f[3], f[4], f[5], f[6], f[7]}
      end
      """;

  /** Writes a device from ARGV[a..]: identity, regid, cert, name, platform, has spk, spk, one-time prekeys... */
  private static final String PUT_DEVICE = """
      local function putDevice(p, id, a, now)
        local d = p .. 'device:' .. id
        redis.call('HSET', d, 'identity', ARGV[a], 'regid', ARGV[a + 1], 'cert', ARGV[a + 2], 'name', ARGV[a + 3],
          'platform', ARGV[a + 4], 'created', now, 'seen', now)
        if ARGV[a + 5] == '1' then redis.call('HSET', d, 'spk', ARGV[a + 6]) end
        for i = a + 7, #ARGV do redis.call('RPUSH', p .. 'otk:' .. id, ARGV[i]) end
        redis.call('ZADD', p .. 'devices', id, id)
      end
      """;

  /** ARGV: account key, list, version, now, then the primary as in putDevice. Returns the old devices. */
  static final Script REGISTER_PRIMARY = Script.of(READ_DEVICE + PUT_DEVICE + """
      local p = KEYS[1]
      local removed = {}
      for _, id in ipairs(redis.call('ZRANGE', p .. 'devices', 0, -1)) do
        table.insert(removed, readDevice(p, id))
        redis.call('DEL', p .. 'device:' .. id, p .. 'otk:' .. id)
      end
      for _, id in ipairs(redis.call('SMEMBERS', p .. 'queues')) do
        redis.call('DEL', p .. 'queue:' .. id)
      end
      local nextId = math.max(2, tonumber(redis.call('HGET', p .. 'account', 'next') or '2'))
      redis.call('DEL', p .. 'devices', p .. 'queues', p .. 'expiry', p .. 'account')
      redis.call('HSET', p .. 'account', 'key', ARGV[1], 'list', ARGV[2], 'version', ARGV[3], 'next', nextId,
        'registered', ARGV[4])
      putDevice(p, 1, 5, ARGV[4])
      return removed
      """);

  /** ARGV: account key, max companions, device id, now, then the device as in putDevice. */
  static final Script ADD_COMPANION = Script.of(PUT_DEVICE + """
      local p = KEYS[1]
      local key = redis.call('HGET', p .. 'account', 'key')
      if not key then return redis.error_reply('REFUSED NO_ACCOUNT') end
      if key ~= ARGV[1] then return redis.error_reply('REFUSED ACCOUNT_REPLACED') end
      if redis.call('ZCOUNT', p .. 'devices', 2, '+inf') >= tonumber(ARGV[2]) then
        return redis.error_reply('REFUSED TOO_MANY_DEVICES')
      end
      if redis.call('HGET', p .. 'account', 'next') ~= ARGV[3] then
        return redis.error_reply('REFUSED DEVICE_ID_TAKEN')
      end
      putDevice(p, ARGV[3], 5, ARGV[4])
      redis.call('HINCRBY', p .. 'account', 'next', 1)
      return 'OK'
      """);

  /** ARGV: account key, expected version, list, new version. */
  static final Script REPLACE_DEVICE_LIST = Script.of("""
      local p = KEYS[1]
      local stored = redis.call('HMGET', p .. 'account', 'key', 'version')
      if not stored[1] then return redis.error_reply('REFUSED NO_ACCOUNT') end
      if stored[1] ~= ARGV[1] then return redis.error_reply('REFUSED ACCOUNT_REPLACED') end
      if stored[2] ~= ARGV[2] then return redis.error_reply('REFUSED LIST_VERSION_CONFLICT') end
      redis.call('HSET', p .. 'account', 'list', ARGV[3], 'version', ARGV[4])
      return 'OK'
      """);

  /** Every device of the number, by id. */
  static final Script DEVICES = Script.of(READ_DEVICE + """
      local p = KEYS[1]
      local devices = {}
      for _, id in ipairs(redis.call('ZRANGE', p .. 'devices', 0, -1)) do
        table.insert(devices, readDevice(p, id))
      end
      return devices
      """);

  /** ARGV: device id. Deletes the device, its prekeys and its queue; 1 when the device existed. */
  static final Script REMOVE_DEVICE = Script.of("""
      local p, id = KEYS[1], ARGV[1]
      local existed = redis.call('ZREM', p .. 'devices', id)
      redis.call('DEL', p .. 'device:' .. id, p .. 'otk:' .. id)
      local queued = redis.call('ZRANGE', p .. 'queue:' .. id, 0, -1, 'WITHSCORES')
      for i = 2, #queued, 2 do
        redis.call('ZREM', p .. 'expiry', id .. ':' .. queued[i])
      end
      redis.call('DEL', p .. 'queue:' .. id)
      redis.call('SREM', p .. 'queues', id)
      return existed
      """);

  /** ARGV: device id, now. */
  static final Script TOUCH_DEVICE = Script.of("""
      local d = KEYS[1] .. 'device:' .. ARGV[1]
      if redis.call('EXISTS', d) == 0 then return redis.error_reply('REFUSED NO_DEVICE') end
      redis.call('HSET', d, 'seen', ARGV[2])
      return 'OK'
      """);

  /** ARGV: device id, has signed prekey, signed prekey, one-time prekeys... */
  static final Script STORE_PREKEYS = Script.of("""
      local p, id = KEYS[1], ARGV[1]
      if redis.call('EXISTS', p .. 'device:' .. id) == 0 then return redis.error_reply('REFUSED NO_DEVICE') end
      if ARGV[2] == '1' then redis.call('HSET', p .. 'device:' .. id, 'spk', ARGV[3]) end
      for i = 4, #ARGV do redis.call('RPUSH', p .. 'otk:' .. id, ARGV[i]) end
      return 'OK'
      """);

  /** ARGV: triples of device id, expires at, envelope. Seqs come from the number's counter. */
  static final Script ENQUEUE = Script.of("""
      local p = KEYS[1]
      for i = 1, #ARGV, 3 do
        local id, expires = ARGV[i], ARGV[i + 1]
        local seq = redis.call('INCR', p .. 'seq')
        redis.call('ZADD', p .. 'queue:' .. id, seq, seq .. ':' .. expires .. ':' .. ARGV[i + 2])
        redis.call('ZADD', p .. 'expiry', expires, id .. ':' .. seq)
        redis.call('SADD', p .. 'queues', id)
      end
      return 'OK'
      """);

  /** ARGV: device id, seqs. Returns the removed members (seqs not queued are left out). */
  static final Script ACKNOWLEDGE = Script.of("""
      local p, id = KEYS[1], ARGV[1]
      local removed = {}
      for i = 2, #ARGV do
        local seq = ARGV[i]
        local member = redis.call('ZRANGEBYSCORE', p .. 'queue:' .. id, seq, seq)[1]
        if member then
          redis.call('ZREM', p .. 'queue:' .. id, member)
          redis.call('ZREM', p .. 'expiry', id .. ':' .. seq)
          table.insert(removed, member)
        end
      end
      return removed
      """);

  /** ARGV: now. Returns {envelopes deleted, envelopes left}. */
  static final Script PURGE_EXPIRED = Script.of("""
      local p = KEYS[1]
      local removed = 0
      for _, entry in ipairs(redis.call('ZRANGEBYSCORE', p .. 'expiry', '-inf', ARGV[1])) do
        local id, seq = string.match(entry, '^(%d+):(%d+)$')
        removed = removed + redis.call('ZREMRANGEBYSCORE', p .. 'queue:' .. id, seq, seq)
      end
      redis.call('ZREMRANGEBYSCORE', p .. 'expiry', '-inf', ARGV[1])
      return {removed, redis.call('ZCARD', p .. 'expiry')}
      """);

  /** ARGV: hash, salt, expires, failed, sent, milliseconds the code is good for (the record lapses then). */
  static final Script PUT_VERIFICATION = Script.of("""
      local v = KEYS[1] .. 'verification'
      redis.call('DEL', v)
      redis.call('HSET', v, 'hash', ARGV[1], 'salt', ARGV[2], 'expires', ARGV[3], 'failed', ARGV[4], 'sent', ARGV[5])
      redis.call('PEXPIRE', v, math.max(1, tonumber(ARGV[6])))
      return 'OK'
      """);

  /** Counts a wrong code; returns the count, or 0 when no code is pending. */
  static final Script FAIL_VERIFICATION = Script.of("""
      local v = KEYS[1] .. 'verification'
      if redis.call('EXISTS', v) == 0 then return 0 end
      return redis.call('HINCRBY', v, 'failed', 1)
      """);
}
