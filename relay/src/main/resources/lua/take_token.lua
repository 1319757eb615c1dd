-- One token taken from, or given back to, one rate limiter's token bucket for one key (a client
-- address, a number, a device, or the whole relay). The bucket holds up to `capacity` tokens and
-- refills evenly, `capacity` tokens every `refillMillis`; no key is a full bucket, so a full bucket
-- is deleted and a partial one expires when it would be full. The caller gives the time: every node
-- counts on its own clock (a test's clock in tests), and a node whose clock is behind neither
-- refills nor drains a bucket that another node updated later.
-- Returns 0 when done, else the ms until a token will be there (and takes nothing).
local bucketKey = KEYS[1]               -- hash: tokens (fractional), at (ms of its last update)
local capacity = tonumber(ARGV[1])      -- tokens the bucket holds
local refillMillis = tonumber(ARGV[2])  -- ms in which an empty bucket fills
local now = tonumber(ARGV[3])           -- ms since the epoch
local cost = tonumber(ARGV[4])          -- 1 takes a token, -1 gives one back

local tokens = capacity
local at = now
local stored = redis.call('HMGET', bucketKey, 'tokens', 'at')
if stored[1] then
  local last = tonumber(stored[2])
  at = math.max(now, last)
  tokens = math.min(capacity, tonumber(stored[1]) + math.max(0, now - last) * capacity / refillMillis)
end
if cost > tokens then
  return math.max(1, math.ceil((cost - tokens) * refillMillis / capacity))
end
tokens = math.min(capacity, tokens - cost)
if tokens >= capacity then
  redis.call('DEL', bucketKey)
  return 0
end
redis.call('HSET', bucketKey, 'tokens', tostring(tokens), 'at', at)
redis.call('PEXPIRE', bucketKey, math.max(1, math.ceil((capacity - tokens) * refillMillis / capacity)))
return 0
