-- Replace a thread only if the store still holds the root and version the writer read.
-- KEYS[1] the thread key; ARGV[1] the TTL in ms; ARGV[2] the expected root ts, empty for a claim; ARGV[3] the expected version;
-- ARGV[4..] the new thread's field, value pairs
if (redis.call('hget', KEYS[1], 'ts') or '') ~= ARGV[2] or redis.call('hget', KEYS[1], 'version') ~= ARGV[3] then
  return 0
end
redis.call('del', KEYS[1])
redis.call('hset', KEYS[1], unpack(ARGV, 4))
redis.call('pexpire', KEYS[1], ARGV[1])
return 1
