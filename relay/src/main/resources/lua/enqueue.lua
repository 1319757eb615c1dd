-- Appends envelopes to their devices' queues, each with the next seq of the number's counter.
local seqKey = KEYS[1]    -- the number's envelope counter, never deleted
local expiryKey = KEYS[2] -- ID:SEQ of every queued envelope, scored by expiry
local queuesKey = KEYS[3] -- ids of the devices that have a queue
local firstQueue = 4      -- KEYS[3 + i]: the queue of envelope i's device, scored by seq
-- ARGV, three per envelope i: device id, expiry (ms since the epoch), the envelope's bytes

for i = 1, #ARGV / 3 do
  local deviceId, expiresAt, envelope = ARGV[3 * i - 2], ARGV[3 * i - 1], ARGV[3 * i]
  local seq = redis.call('INCR', seqKey)
  redis.call('ZADD', KEYS[firstQueue + i - 1], seq, seq .. ':' .. expiresAt .. ':' .. envelope)
  redis.call('ZADD', expiryKey, expiresAt, deviceId .. ':' .. seq)
  redis.call('SADD', queuesKey, deviceId)
end
return 'OK'
