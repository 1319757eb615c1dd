-- Removes envelopes from one device's queue by seq. Returns the removed members; seqs that are
-- not in this queue are left out.
local queueKey = KEYS[1]  -- the device's queue, scored by seq
local expiryKey = KEYS[2] -- ID:SEQ of every queued envelope, scored by expiry
local bytesKey = KEYS[3]  -- device id -> bytes of envelopes in its queue
local deviceId = ARGV[1]
local firstSeq = 2        -- ARGV[2..]: the seqs acknowledged

local removed = {}
local bytes = 0
for i = firstSeq, #ARGV do
  local seq = ARGV[i]
  local member = redis.call('ZRANGEBYSCORE', queueKey, seq, seq)[1]
  if member then
    redis.call('ZREM', queueKey, member)
    redis.call('ZREM', expiryKey, deviceId .. ':' .. seq)
    bytes = bytes + envelopeBytes(member)
    table.insert(removed, member)
  end
end
if #removed > 0 then
  releaseBytes(bytesKey, queueKey, deviceId, bytes)
end
return removed
