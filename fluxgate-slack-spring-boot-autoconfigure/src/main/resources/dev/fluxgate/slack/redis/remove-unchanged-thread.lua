-- Forget a thread only if the store still holds the root (or the pending claim) and version the writer read.
-- KEYS[1] the thread key; ARGV[1] the expected root ts, empty for a claim; ARGV[2] the expected version
if (redis.call('hget', KEYS[1], 'ts') or '') ~= ARGV[1] or redis.call('hget', KEYS[1], 'version') ~= ARGV[2] then
  return 0
end
redis.call('del', KEYS[1])
return 1
