-- Claims a device for a connection on a node. Returns the claim's epoch, the account's counter
-- plus one, so a later claim of any device of the account has a higher one.
local presenceKey = KEYS[1] -- device id -> "EPOCH NODE", and '#epoch', the account's counter
local deviceId = ARGV[1]
local node = ARGV[2]        -- the claiming node's id

local epoch = redis.call('HINCRBY', presenceKey, '#epoch', 1)
redis.call('HSET', presenceKey, deviceId, epoch .. ' ' .. node)
return epoch
