-- Forget a thread only if it is the one the writer knows, and take it out of the index of open cycles.
-- KEYS[1] the thread key; KEYS[2] the index of open cycles
-- ARGV[1] the breaker's name; ARGV[2] the expected root ts, empty for a claim; ARGV[3] the expected version, or empty
-- to forget whichever version of that root is stored
if (redis.call('hget', KEYS[1], 'ts') or '') ~= ARGV[2] then
  return 0
end
if ARGV[3] ~= '' and redis.call('hget', KEYS[1], 'version') ~= ARGV[3] then
  return 0
end
redis.call('del', KEYS[1])
redis.call('zrem', KEYS[2], ARGV[1])
return 1
