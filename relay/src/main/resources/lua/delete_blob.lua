-- Deletes a blob's record and its entries in the sets of expiry; returns 1, or 0 when there was none.
local blobKey = KEYS[1]   -- the blob's hash
local expiryKey = KEYS[2] -- every blob: sorted set of ids scored by expiry
local id, ownPrefix = ARGV[1], ARGV[2]

local number = redis.call('HGET', blobKey, 'number')
redis.call('ZREM', expiryKey, id)
if not number then return 0 end
redis.call('ZREM', ownPrefix .. number, id)
redis.call('DEL', blobKey)
return 1
