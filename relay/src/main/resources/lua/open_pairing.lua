-- Records a pairing request unless the number had its most requests in the window. Returns 1 when
-- recorded, 0 when refused. Both keys expire once the number has had no request for a while.
local timesKey = KEYS[1]    -- pairing ids scored by request time (ms), for the limit
local pairingsKey = KEYS[2] -- pairing id -> the request's JSON
local now = ARGV[1]              -- ms since the epoch
local window = tonumber(ARGV[2]) -- ms over which requests are counted
local maxPerWindow = tonumber(ARGV[3])
local pairingId = ARGV[4]
local request = ARGV[5]          -- JSON: hello, expiresAt, socket
local keepFor = ARGV[6]          -- ms both keys are kept after this request

redis.call('ZREMRANGEBYSCORE', timesKey, '-inf', tonumber(now) - window)
if redis.call('ZCARD', timesKey) >= maxPerWindow then return 0 end
redis.call('ZADD', timesKey, now, pairingId)
redis.call('HSET', pairingsKey, pairingId, request)
redis.call('PEXPIRE', timesKey, keepFor)
redis.call('PEXPIRE', pairingsKey, keepFor)
return 1
