-- Deletes a device with its prekeys and its queue (a queue may exist without a device).
-- Returns 1 when the device existed, else 0.
local devicesKey = KEYS[1] -- the account's device ids, scored by id
local deviceKey = KEYS[2]  -- the device's hash
local preKeysKey = KEYS[3] -- the device's one-time prekeys
local queueKey = KEYS[4]   -- the device's queue, scored by seq
local queuesKey = KEYS[5]  -- ids of the devices that have a queue
local expiryKey = KEYS[6]  -- ID:SEQ of every queued envelope, scored by expiry
local bytesKey = KEYS[7]   -- device id -> bytes of envelopes in its queue
local deviceId = ARGV[1]

local existed = redis.call('ZREM', devicesKey, deviceId)
redis.call('DEL', deviceKey, preKeysKey)
local queued = redis.call('ZRANGE', queueKey, 0, -1, 'WITHSCORES')
for i = 2, #queued, 2 do
  redis.call('ZREM', expiryKey, deviceId .. ':' .. queued[i])
end
redis.call('DEL', queueKey)
redis.call('HDEL', bytesKey, deviceId)
redis.call('SREM', queuesKey, deviceId)
return existed
