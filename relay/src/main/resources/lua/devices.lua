-- Every device of the number, by id (readDevice's lists), read at one moment.
-- Derives keys: each device's hash comes from an id read here (docs/storage.md).
local devicesKey = KEYS[1]   -- the account's device ids, scored by id
local numberPrefix = ARGV[1] -- q:{NUMBER}:, the prefix of the keys derived from ids read here

local devices = {}
for _, id in ipairs(redis.call('ZRANGE', devicesKey, 0, -1)) do
  table.insert(devices, readDevice(numberPrefix .. 'device:' .. id, id))
end
return devices
