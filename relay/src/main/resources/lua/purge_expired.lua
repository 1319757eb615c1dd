-- Deletes the number's envelopes that expired by now. Returns {envelopes deleted, envelopes left}.
-- Derives keys: each queue comes from a device id read from the expiry index (docs/storage.md).
local expiryKey = KEYS[1]    -- ID:SEQ of every queued envelope, scored by expiry
local bytesKey = KEYS[2]     -- device id -> bytes of envelopes in its queue
local numberPrefix = ARGV[1] -- q:{NUMBER}:, the prefix of the keys derived from ids read here
local now = ARGV[2]          -- ms since the epoch

local removed = 0
for _, entry in ipairs(redis.call('ZRANGEBYSCORE', expiryKey, '-inf', now)) do
  local deviceId, seq = string.match(entry, '^(%d+):(%d+)$')
  local queue = numberPrefix .. 'queue:' .. deviceId
  local member = redis.call('ZRANGEBYSCORE', queue, seq, seq)[1]
  if member then
    redis.call('ZREM', queue, member)
    releaseBytes(bytesKey, queue, deviceId, envelopeBytes(member))
    removed = removed + 1
  end
end
redis.call('ZREMRANGEBYSCORE', expiryKey, '-inf', now)
return {removed, redis.call('ZCARD', expiryKey)}
