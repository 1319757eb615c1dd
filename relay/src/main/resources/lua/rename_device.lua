-- Sets a device's name; refuses a device that does not exist, so that a rename racing a removal
-- leaves no part of the device behind.
local deviceKey = KEYS[1] -- the device's hash
local name = ARGV[1]      -- the name as stored: "+" then the text

if redis.call('EXISTS', deviceKey) == 0 then return redis.error_reply('REFUSED NO_DEVICE') end
redis.call('HSET', deviceKey, 'name', name)
return 'OK'
