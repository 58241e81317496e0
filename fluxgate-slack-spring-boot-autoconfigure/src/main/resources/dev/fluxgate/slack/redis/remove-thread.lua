-- Forget a thread only if it is the one with the given root.
-- KEYS[1] the thread key; ARGV[1] the root ts
if redis.call('hget', KEYS[1], 'ts') == ARGV[1] then
  redis.call('del', KEYS[1])
  return 1
end
return 0
