-- One token taken from, or given back to, one rate limiter's token bucket for one key (a client
-- address, a number, a device, or the whole relay). The bucket holds up to `capacity` tokens and
-- refills evenly, `capacity` tokens every `refillMillis`; no key is a full bucket, so a full bucket
-- is deleted and a partial one expires when it would be full. The caller gives the time: every node
-- counts on its own clock (a test's clock in tests), and a node whose clock is behind neither
-- refills nor drains a bucket that another node updated later.
-- The level is kept in units of 1/refillMillis of a token, so that every step is exact in whole
-- numbers (a refill of `elapsed` ms adds elapsed * capacity units) and agrees with Bucket4j's
-- buckets of a node alone to the millisecond.
-- Returns 0 when done, else the ms until a token will be there (and takes nothing).
local bucketKey = KEYS[1]               -- hash: level (units), at (ms of its last update)
local capacity = tonumber(ARGV[1])      -- tokens the bucket holds
local refillMillis = tonumber(ARGV[2])  -- ms in which an empty bucket fills
local now = tonumber(ARGV[3])           -- ms since the epoch
local cost = tonumber(ARGV[4])          -- 1 takes a token, -1 gives one back

local full = capacity * refillMillis
local level = full
local at = now
local stored = redis.call('HMGET', bucketKey, 'level', 'at')
if stored[1] then
  local last = tonumber(stored[2])
  at = math.max(now, last)
  level = math.min(full, tonumber(stored[1]) + math.max(0, now - last) * capacity)
end
local needed = cost * refillMillis
if needed > level then
  return math.ceil((needed - level) / capacity)
end
level = math.min(full, level - needed)
if level >= full then
  redis.call('DEL', bucketKey)
  return 0
end
redis.call('HSET', bucketKey, 'level', string.format('%.0f', level), 'at', string.format('%.0f', at))
redis.call('PEXPIRE', bucketKey, math.max(1, math.ceil((full - level) / capacity)))
return 0
