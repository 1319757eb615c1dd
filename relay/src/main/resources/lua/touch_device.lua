-- Records when a device was last seen; refuses a device that does not exist.
local deviceKey = KEYS[1] -- the device's hash
local now = ARGV[1]       -- ms since the epoch

if redis.call('EXISTS', deviceKey) == 0 then return redis.error_reply('REFUSED NO_DEVICE') end
redis.call('HSET', deviceKey, 'seen', now)
return 'OK'
