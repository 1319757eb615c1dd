-- Makes a new primary the number's only device: the old devices, their prekeys and every queue go,
-- the next companion id stays. Returns the old devices (readDevice's lists).
-- Derives keys: the old devices' and queues' keys come from ids read here (docs/storage.md).
local accountKey = KEYS[1]        -- the account hash: key, list, version, next, registered
local devicesKey = KEYS[2]        -- the account's device ids, scored by id
local queuesKey = KEYS[3]         -- ids of the devices that have a queue
local expiryKey = KEYS[4]         -- ID:SEQ of every queued envelope, scored by expiry
local primaryKey = KEYS[5]        -- the new primary's device hash (device 1)
local primaryPreKeysKey = KEYS[6] -- the new primary's one-time prekeys
local bytesKey = KEYS[7]          -- device id -> bytes of envelopes in its queue
local numberPrefix = ARGV[1]      -- q:{NUMBER}:, the prefix of the keys derived from ids read here
local accountSigningKey = ARGV[2] -- the primary's Ed25519 key, the account's identity
local deviceList = ARGV[3]        -- the signed device list, as signed
local listVersion = ARGV[4]
local now = ARGV[5]               -- ms since the epoch
local primaryFields = 6           -- ARGV[6..]: the primary, as putDevice reads it

local removed = {}
for _, id in ipairs(redis.call('ZRANGE', devicesKey, 0, -1)) do
  table.insert(removed, readDevice(numberPrefix .. 'device:' .. id, id))
  redis.call('DEL', numberPrefix .. 'device:' .. id, numberPrefix .. 'otk:' .. id)
end
for _, id in ipairs(redis.call('SMEMBERS', queuesKey)) do
  redis.call('DEL', numberPrefix .. 'queue:' .. id)
end
local nextId = math.max(2, tonumber(redis.call('HGET', accountKey, 'next') or '2'))
redis.call('DEL', devicesKey, queuesKey, expiryKey, bytesKey, accountKey)
redis.call('HSET', accountKey, 'key', accountSigningKey, 'list', deviceList, 'version', listVersion,
  'next', nextId, 'registered', now)
putDevice(devicesKey, primaryKey, primaryPreKeysKey, 1, primaryFields, now)
return removed
