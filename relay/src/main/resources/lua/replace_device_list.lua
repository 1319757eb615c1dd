-- Compare-and-set of the signed device list: the account must exist, with this key, at the
-- expected version.
local accountKey = KEYS[1]        -- the account hash: key, list, version, next, registered
local accountSigningKey = ARGV[1] -- the account key the new list was checked with
local expectedVersion = ARGV[2]
local deviceList = ARGV[3]        -- the new list, as signed
local newVersion = ARGV[4]

local stored = redis.call('HMGET', accountKey, 'key', 'version')
if not stored[1] then return redis.error_reply('REFUSED NO_ACCOUNT') end
if stored[1] ~= accountSigningKey then return redis.error_reply('REFUSED ACCOUNT_REPLACED') end
if stored[2] ~= expectedVersion then return redis.error_reply('REFUSED LIST_VERSION_CONFLICT') end
redis.call('HSET', accountKey, 'list', deviceList, 'version', newVersion)
return 'OK'
