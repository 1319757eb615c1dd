-- The blobs that expire at or before now, the first to expire first: for each, its id and fields.
local expiryKey = KEYS[1] -- every blob: sorted set of ids scored by expiry
local now, limit, blobPrefix = ARGV[1], ARGV[2], ARGV[3]

local out = {}
for _, id in ipairs(redis.call('ZRANGEBYSCORE', expiryKey, '-inf', now, 'LIMIT', 0, limit)) do
  local blob = redis.call('HMGET', blobPrefix .. id, 'number', 'device', 'length', 'offset', 'created', 'expires')
  if blob[1] then
    table.insert(out, {id, blob[1], blob[2], blob[3], blob[4], blob[5], blob[6]})
  end
end
return out
