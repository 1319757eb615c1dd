-- Counts a wrong code. Returns the count so far, or 0 when no code is pending.
local verificationKey = KEYS[1] -- the number's pending code: hash, salt, expires, failed, sent

if redis.call('EXISTS', verificationKey) == 0 then return 0 end
return redis.call('HINCRBY', verificationKey, 'failed', 1)
