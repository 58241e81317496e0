-- Keep the marks of threads that are still open: renew each one's TTL and its score in the index, so that a silence
-- or an acknowledgement lasts as long as its cycle, however long. Marks already gone stay gone.
-- KEYS[1] the index of the threads with marks; KEYS[2..] each thread's marks
-- ARGV[1] the TTL in ms; ARGV[2..] each thread's ts, in the order of KEYS[2..]
local ttl = tonumber(ARGV[1])
local time = redis.call('time')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local kept = 0
for i = 2, #KEYS do
  if redis.call('pexpire', KEYS[i], ttl) == 1 then
    redis.call('zadd', KEYS[1], now + ttl, ARGV[i])
    kept = kept + 1
  end
end
if kept > 0 then
  redis.call('pexpire', KEYS[1], ttl)
end
return kept
