-- Moves a blob's offset on if it is still the one the caller read; the last byte makes the blob
-- complete and gives it its lifetime. Returns the blob's fields after the change.
local blobKey = KEYS[1]   -- the blob's hash
local expiryKey = KEYS[2] -- every blob: sorted set of ids scored by expiry
local id, expected, offset, completeExpires = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local ownPrefix = ARGV[5] -- what an account's set of blobs is called before its number

if redis.call('EXISTS', blobKey) == 0 then return redis.error_reply('REFUSED NO_BLOB') end
local blob = redis.call('HMGET', blobKey, 'number', 'device', 'length', 'offset', 'created', 'expires')
if tonumber(blob[4]) ~= expected then return redis.error_reply('REFUSED BLOB_OFFSET_CONFLICT') end
if offset < expected or offset > tonumber(blob[3]) then
  return redis.error_reply('ERR a blob\'s offset grows up to its length')
end
local expires = blob[6]
if offset == tonumber(blob[3]) then
  expires = completeExpires
  redis.call('ZADD', expiryKey, expires, id)
  redis.call('ZADD', ownPrefix .. blob[1], expires, id)
end
redis.call('HSET', blobKey, 'offset', offset, 'expires', expires)
return {blob[1], blob[2], blob[3], tostring(offset), blob[5], expires}
