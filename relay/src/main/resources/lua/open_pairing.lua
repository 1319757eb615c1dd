-- Records a pairing request of a number. The hash expires once its last request has (a request
-- past its expiry is skipped on reading before that). How many requests a number gets is for the
-- rate limiters (take_token), checked before.
local pairingsKey = KEYS[1] -- pairing id -> the request's JSON
local pairingId = ARGV[1]
local request = ARGV[2]            -- JSON: hello, expiresAt, socket
local keepFor = tonumber(ARGV[3])  -- ms until this request expires

redis.call('HSET', pairingsKey, pairingId, request)
if redis.call('PTTL', pairingsKey) < keepFor then
  redis.call('PEXPIRE', pairingsKey, keepFor)
end
return 1
