-- Forget a thread only if it is the one the writer knows, and take it out of the index of open cycles.
-- KEYS[1] the thread key; KEYS[2] the index of open cycles
-- ARGV[1] the breaker's name; ARGV[2] the expected root ts, empty for a claim; ARGV[3] the expected version, or empty
-- to forget whichever version of that root is stored; ARGV[4] the expected claim ('claimedBy claimUntil', empty once
-- the root is posted), checked with the version
local read = redis.call('hmget', KEYS[1], 'ts', 'version', 'claimedBy', 'claimUntil')
if (read[1] or '') ~= ARGV[2] then
  return 0
end
local claim = read[3] and (read[3] .. ' ' .. (read[4] or '')) or ''
if ARGV[3] ~= '' and (read[2] ~= ARGV[3] or claim ~= ARGV[4]) then
  return 0
end
redis.call('del', KEYS[1])
redis.call('zrem', KEYS[2], ARGV[1])
return 1
