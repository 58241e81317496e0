-- Keep a new thread only if its circuit breaker has none.
-- KEYS[1] the breaker's thread key; ARGV[1] the TTL in ms; ARGV[2..] field, value, field, value, ...
if redis.call('exists', KEYS[1]) == 1 then
  return 0
end
redis.call('hset', KEYS[1], unpack(ARGV, 2))
redis.call('pexpire', KEYS[1], ARGV[1])
return 1
