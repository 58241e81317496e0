-- Record what a flush of a channel's storm digest told: the root it posted, and what it told of each breaker; a version
-- told is no longer pending, unless a newer one was appended meanwhile. When every entry is told recovered and nothing is pending, the storm is over: the
-- digest is gone, so that the next storm gets a root of its own.
-- KEYS[1] the root; KEYS[2] the entries; KEYS[3] the pending versions; KEYS[4] what was told; KEYS[5] the members
-- ARGV[1] the root's channel, or ''; ARGV[2] the root's ts, or ''; ARGV[3] the TTL in ms;
-- then triples: breaker, version, mark ('o' opened, 'r' recovered, 'e' told in a thread of its own)
if ARGV[2] ~= '' then
  redis.call('hset', KEYS[1], 'channel', ARGV[1], 'ts', ARGV[2])
  redis.call('pexpire', KEYS[1], ARGV[3])
end
for i = 4, #ARGV, 3 do
  if redis.call('zscore', KEYS[2], ARGV[i]) then
    redis.call('hset', KEYS[4], ARGV[i], ARGV[i + 2])
    if redis.call('hget', KEYS[3], ARGV[i]) == ARGV[i + 1] then
      redis.call('hdel', KEYS[3], ARGV[i])
    end
  end
end
redis.call('pexpire', KEYS[4], ARGV[3])
redis.call('pexpire', KEYS[3], ARGV[3])
if redis.call('hlen', KEYS[3]) == 0 then
  local marks = redis.call('hvals', KEYS[4])
  for _, mark in ipairs(marks) do
    if mark ~= 'r' then
      return 0
    end
  end
  if #marks == redis.call('zcard', KEYS[2]) then
    redis.call('del', KEYS[1], KEYS[2], KEYS[4], KEYS[5])
    return 1
  end
end
return 0
