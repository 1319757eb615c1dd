-- Replaces a device's signed prekey (when one is given) and adds one-time prekeys; refuses a
-- device that does not exist, so keys of a device removed meanwhile do not outlive it.
local deviceKey = KEYS[1]      -- the device's hash
local preKeysKey = KEYS[2]     -- the device's one-time prekeys, oldest first
local hasSignedPreKey = ARGV[1] -- '1' or '0'
local signedPreKey = ARGV[2]   -- empty when there is none
local firstOneTime = 3         -- ARGV[3..]: the one-time prekeys

if redis.call('EXISTS', deviceKey) == 0 then return redis.error_reply('REFUSED NO_DEVICE') end
if hasSignedPreKey == '1' then redis.call('HSET', deviceKey, 'spk', signedPreKey) end
for i = firstOneTime, #ARGV do redis.call('RPUSH', preKeysKey, ARGV[i]) end
return 'OK'
