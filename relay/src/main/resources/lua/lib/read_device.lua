-- Prelude: reads a device hash into the list the storage decodes:
-- id, identity, registration id, certificate, name, platform, created, last seen.
local function readDevice(deviceKey, id)
  local f = redis.call('HMGET', deviceKey, 'identity', 'regid', 'cert', 'name', 'platform', 'created', 'seen')
  return {id, f[1], f[2], f[3], f[4], f[5], f[6], f[7]}
end
