-- Records a new attachment blob if the account's blobs not yet expired, this one included, stay
-- within the quota. Every blob key is in the {blobs} slot, so the script derives the keys of the
-- account's other blobs from their ids.
local blobKey = KEYS[1]   -- the new blob's hash
local ownKey = KEYS[2]    -- the account's blobs: sorted set of ids scored by expiry
local expiryKey = KEYS[3] -- every blob: sorted set of ids scored by expiry
local id, number, deviceId, length = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])
local offset, created, expires, quota = ARGV[5], tonumber(ARGV[6]), ARGV[7], tonumber(ARGV[8])
local blobPrefix = ARGV[9] -- what a blob's key is before its id

local used = 0
for _, other in ipairs(redis.call('ZRANGEBYSCORE', ownKey, '(' .. created, '+inf')) do
  used = used + tonumber(redis.call('HGET', blobPrefix .. other, 'length') or '0')
end
if used + length > quota then return redis.error_reply('REFUSED OVER_QUOTA') end
redis.call('HSET', blobKey, 'number', number, 'device', deviceId, 'length', length, 'offset', offset,
  'created', created, 'expires', expires)
redis.call('ZADD', ownKey, expires, id)
redis.call('ZADD', expiryKey, expires, id)
return 'OK'
