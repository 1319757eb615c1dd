-- Prelude: writes a device whose fields are ARGV[first] on: identity, registration id, certificate,
-- name, platform, '1' or '0' (whether a signed prekey follows), the signed prekey (empty when
-- none), then its one-time prekeys to the end of ARGV. Adds the id to the account's device ids.
local function putDevice(devicesKey, deviceKey, preKeysKey, id, first, now)
  redis.call('HSET', deviceKey, 'identity', ARGV[first], 'regid', ARGV[first + 1], 'cert', ARGV[first + 2],
    'name', ARGV[first + 3], 'platform', ARGV[first + 4], 'created', now, 'seen', now)
  if ARGV[first + 5] == '1' then redis.call('HSET', deviceKey, 'spk', ARGV[first + 6]) end
  for i = first + 7, #ARGV do redis.call('RPUSH', preKeysKey, ARGV[i]) end
  redis.call('ZADD', devicesKey, id, id)
end
