-- Stores a pending registration code in place of any earlier one; the record lapses with the code.
local verificationKey = KEYS[1] -- the number's pending code: hash, salt, expires, failed, sent
local codeHash = ARGV[1]
local salt = ARGV[2]
local expiresAt = ARGV[3]       -- ms since the epoch
local failedAttempts = ARGV[4]
local sentAt = ARGV[5]          -- ms since the epoch
local lifetime = ARGV[6]        -- ms the code is good for

redis.call('DEL', verificationKey)
redis.call('HSET', verificationKey, 'hash', codeHash, 'salt', salt, 'expires', expiresAt, 'failed', failedAttempts,
  'sent', sentAt)
redis.call('PEXPIRE', verificationKey, math.max(1, tonumber(lifetime)))
return 'OK'
