-- Appends envelopes to their devices' queues, each with the next seq of the number's counter,
-- unless they would take a queue past its quota: then nothing is written. Returns {'OK', seq of
-- each envelope in order} or {'FULL', device id, limit, device id, limit, ...} (limit: 'envelopes'
-- or 'bytes'), a normal reply so that it can say which queues.
local seqKey = KEYS[1]    -- the number's envelope counter, never deleted
local expiryKey = KEYS[2] -- ID:SEQ of every queued envelope, scored by expiry
local queuesKey = KEYS[3] -- ids of the devices that have a queue
local bytesKey = KEYS[4]  -- device id -> bytes of envelopes in its queue
local firstQueue = 5      -- KEYS[4 + i]: the queue of envelope i's device, scored by seq
local maxEnvelopes = tonumber(ARGV[1]) -- per queue; -1: no limit
local maxBytes = tonumber(ARGV[2])     -- per queue; -1: no limit
local firstEnvelope = 3   -- ARGV, three per envelope i from here: device id, expiry (ms since the epoch), bytes
local count = (#ARGV - firstEnvelope + 1) / 3

-- Every check before the first write: Redis does not roll a script back.
local adding = {}
local devices = {}
for i = 1, count do
  local at = firstEnvelope + 3 * (i - 1)
  local deviceId = ARGV[at]
  local added = adding[deviceId]
  if not added then
    added = {envelopes = 0, bytes = 0, queue = KEYS[firstQueue + i - 1]}
    adding[deviceId] = added
    table.insert(devices, deviceId)
  end
  added.envelopes = added.envelopes + 1
  added.bytes = added.bytes + #ARGV[at + 2]
end
local full = {'FULL'}
for _, deviceId in ipairs(devices) do
  local added = adding[deviceId]
  if maxEnvelopes >= 0 and redis.call('ZCARD', added.queue) + added.envelopes > maxEnvelopes then
    table.insert(full, deviceId)
    table.insert(full, 'envelopes')
  end
  if maxBytes >= 0 and tonumber(redis.call('HGET', bytesKey, deviceId) or '0') + added.bytes > maxBytes then
    table.insert(full, deviceId)
    table.insert(full, 'bytes')
  end
end
if #full > 1 then
  return full
end

local seqs = {'OK'}
for i = 1, count do
  local at = firstEnvelope + 3 * (i - 1)
  local deviceId, expiresAt, envelope = ARGV[at], ARGV[at + 1], ARGV[at + 2]
  local seq = redis.call('INCR', seqKey)
  redis.call('ZADD', KEYS[firstQueue + i - 1], seq, seq .. ':' .. expiresAt .. ':' .. envelope)
  redis.call('ZADD', expiryKey, expiresAt, deviceId .. ':' .. seq)
  redis.call('SADD', queuesKey, deviceId)
  redis.call('HINCRBY', bytesKey, deviceId, #envelope)
  table.insert(seqs, seq)
end
return seqs
