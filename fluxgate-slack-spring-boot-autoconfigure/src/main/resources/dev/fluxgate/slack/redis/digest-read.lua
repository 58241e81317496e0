-- Read a channel's storm digest in one step: the root, the entries in the order they joined, the pending versions,
-- what was told, the members, the heartbeats and Redis's time.
-- KEYS[1] the root (a hash: channel, ts); KEYS[2] the entries; KEYS[3] the pending versions; KEYS[4] what was told;
-- KEYS[5] the members; KEYS[6] the heartbeats
local time = redis.call('time')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
return {
  redis.call('hmget', KEYS[1], 'channel', 'ts'),
  redis.call('zrange', KEYS[2], 0, -1),
  redis.call('hgetall', KEYS[3]),
  redis.call('hgetall', KEYS[4]),
  redis.call('hgetall', KEYS[5]),
  redis.call('hgetall', KEYS[6]),
  now
}
