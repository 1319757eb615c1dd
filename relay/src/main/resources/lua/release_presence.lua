-- Releases a device's claim, unless a newer claim (another epoch) took its place.
local presenceKey = KEYS[1] -- device id -> "EPOCH NODE", and '#epoch', the account's counter
local deviceId = ARGV[1]
local epoch = ARGV[2]       -- the epoch of the claim being released

local claim = redis.call('HGET', presenceKey, deviceId)
if claim and string.match(claim, '^%d+') == epoch then redis.call('HDEL', presenceKey, deviceId) end
return 0
