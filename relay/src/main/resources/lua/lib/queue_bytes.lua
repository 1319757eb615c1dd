-- The bytes an envelope takes in its device's queue, as the quota counts them: the length of the
-- envelope in its member "SEQ:EXPIRES:ENVELOPE".
local function envelopeBytes(member)
  return #member - #string.match(member, '^%d+:%-?%d+:')
end

-- Takes bytes that left a queue off its count, and forgets the count once the queue is empty (or
-- once it would go below zero: envelopes queued before counts were kept were never counted).
local function releaseBytes(bytesKey, queueKey, deviceId, bytes)
  local left = redis.call('HINCRBY', bytesKey, deviceId, -bytes)
  if left <= 0 or redis.call('ZCARD', queueKey) == 0 then
    redis.call('HDEL', bytesKey, deviceId)
  end
end
