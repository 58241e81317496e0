-- Take a turn to post in a channel the replicas share: none while a refusal holds the channel, else one token of a
-- bucket that holds at most the burst and refills one token per interval, on Redis's clock.
-- KEYS[1] the channel's bucket (a hash: tokens, at); KEYS[2] the channel's hold
-- ARGV[1] the burst; ARGV[2] the interval in ms; ARGV[3] how long an idle bucket is kept, in ms
-- Returns 0 once a turn is taken, else how many ms to wait before asking again.
local held = redis.call('pttl', KEYS[2])
if held > 0 then
  return held
end
local time = redis.call('time')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local burst = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local tokens = tonumber(redis.call('hget', KEYS[1], 'tokens') or burst)
local at = tonumber(redis.call('hget', KEYS[1], 'at') or now)
tokens = math.min(burst, tokens + math.max(0, now - at) / interval)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = math.ceil((1 - tokens) * interval)
end
redis.call('hset', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('pexpire', KEYS[1], ARGV[3])
return wait
