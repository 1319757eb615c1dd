-- Adds a companion if the account exists with this key, has room, and the id is its next one,
-- checked in this order (the storage contract's); then the next id grows by one.
local accountKey = KEYS[1]        -- the account hash: key, list, version, next, registered
local devicesKey = KEYS[2]        -- the account's device ids, scored by id
local deviceKey = KEYS[3]         -- the companion's device hash
local preKeysKey = KEYS[4]        -- the companion's one-time prekeys
local accountSigningKey = ARGV[1] -- the account key the companion's certificate was checked with
local maxCompanions = tonumber(ARGV[2])
local deviceId = ARGV[3]
local now = ARGV[4]               -- ms since the epoch
local deviceFields = 5            -- ARGV[5..]: the companion, as putDevice reads it

local stored = redis.call('HGET', accountKey, 'key')
if not stored then return redis.error_reply('REFUSED NO_ACCOUNT') end
if stored ~= accountSigningKey then return redis.error_reply('REFUSED ACCOUNT_REPLACED') end
if redis.call('ZCOUNT', devicesKey, 2, '+inf') >= maxCompanions then
  return redis.error_reply('REFUSED TOO_MANY_DEVICES')
end
if redis.call('HGET', accountKey, 'next') ~= deviceId then
  return redis.error_reply('REFUSED DEVICE_ID_TAKEN')
end
putDevice(devicesKey, deviceKey, preKeysKey, deviceId, deviceFields, now)
redis.call('HINCRBY', accountKey, 'next', 1)
return 'OK'
