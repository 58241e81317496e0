-- A replica's turn at a channel's storm digest, on Redis's clock: it says it is alive and how many messages it owes
-- the channel, takes or renews the lease (SET NX PX; only its holder renews it), and flushes when it holds the lease,
-- a storm is under way and the last flush is at least the given time ago. A replica silent longer than the given time
-- is forgotten.
-- KEYS[1] the lease; KEYS[2] the last flush; KEYS[3] the entries; KEYS[4] the pending versions; KEYS[5] the heartbeats;
-- KEYS[6] the messages each replica owes the channel
-- ARGV[1] the instance; ARGV[2] the lease in ms, also how long a heartbeat counts; ARGV[3] the time since the last
-- flush in ms; ARGV[4] the TTL in ms; ARGV[5] the messages this replica owes; ARGV[6] how long a silent replica is
-- remembered, in ms
-- Returns {flush, held, storm, the messages the other live replicas owe}.
local time = redis.call('time')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local storm = redis.call('exists', KEYS[3])
redis.call('hset', KEYS[5], ARGV[1], now)
redis.call('hset', KEYS[6], ARGV[1], ARGV[5])
redis.call('pexpire', KEYS[5], ARGV[4])
redis.call('pexpire', KEYS[6], ARGV[4])
local elsewhere = 0
local heartbeats = redis.call('hgetall', KEYS[5])
for i = 1, #heartbeats, 2 do
  local silent = now - tonumber(heartbeats[i + 1])
  if heartbeats[i] ~= ARGV[1] and silent <= tonumber(ARGV[2]) then
    elsewhere = elsewhere + tonumber(redis.call('hget', KEYS[6], heartbeats[i]) or '0')
  elseif silent > tonumber(ARGV[6]) then
    -- a replica silent that long is gone: forgotten, so that a turn's cost does not grow with every restart
    redis.call('hdel', KEYS[5], heartbeats[i])
    redis.call('hdel', KEYS[6], heartbeats[i])
  end
end
if not redis.call('set', KEYS[1], ARGV[1], 'nx', 'px', ARGV[2]) then
  if redis.call('get', KEYS[1]) ~= ARGV[1] then
    return {0, 0, storm, elsewhere}
  end
  redis.call('pexpire', KEYS[1], ARGV[2])
end
if storm == 0 then
  return {0, 1, storm, elsewhere}
end
local last = tonumber(redis.call('get', KEYS[2]) or '0')
if now - last < tonumber(ARGV[3]) then
  return {0, 1, storm, elsewhere}
end
redis.call('set', KEYS[2], now, 'px', ARGV[4])
return {1, 1, storm, elsewhere}
