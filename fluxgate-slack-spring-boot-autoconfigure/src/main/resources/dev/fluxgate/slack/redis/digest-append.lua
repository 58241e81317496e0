-- Append a breaker's transition on one replica to a channel's storm digest, in one step: the entry joins in order,
-- its member's state is written, and a new version of it is pending. A new entry renews every key's expiry, and the
-- pending versions expire from their first.
-- KEYS[1] the entries (a sorted set, scored by the version they joined at); KEYS[2] the pending versions (a hash);
-- KEYS[3] the members (a hash: breaker NUL instance -> state); KEYS[4] the sequence; KEYS[5] what was told (a hash)
-- ARGV[1] the breaker; ARGV[2] the instance; ARGV[3] the state, or '' when the member leaves; ARGV[4] the TTL in ms
local version = redis.call('incr', KEYS[4])
local field = ARGV[1] .. '\0' .. ARGV[2]
if ARGV[3] == '' then
  if redis.call('hdel', KEYS[3], field) == 0 then
    return 0
  end
else
  redis.call('hset', KEYS[3], field, ARGV[3])
end
local pending = redis.call('hset', KEYS[2], ARGV[1], version)
if redis.call('zadd', KEYS[1], 'nx', version, ARGV[1]) == 1 then
  for i = 1, 5 do
    redis.call('pexpire', KEYS[i], ARGV[4])
  end
elseif pending == 1 then
  -- the pending hash is new again after a flush emptied it: it expires too
  redis.call('pexpire', KEYS[2], ARGV[4])
end
return version
