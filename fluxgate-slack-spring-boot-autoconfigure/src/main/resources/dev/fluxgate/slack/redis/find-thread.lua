-- Read a thread together with Redis's clock, so that replicas judge heartbeats and claims on one clock.
-- KEYS[1] the thread key
-- Returns the time in ms, then the hash's field, value pairs (none when the breaker has no thread).
local time = redis.call('time')
local fields = redis.call('hgetall', KEYS[1])
table.insert(fields, 1, string.format('%.0f', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)))
return fields
