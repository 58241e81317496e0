-- One replica's heartbeat: renew its membership of the cycles it is in, stamped with Redis's time (never written
-- where it is not a member any more), one version on, so that a writer that judged liveness on what it read before
-- finds the thread changed; and name the cycles whose last sign of life is older than the silence.
-- KEYS[1] the index of open cycles; KEYS[2..] the thread keys of the cycles to renew
-- ARGV[1] the instance id; ARGV[2] the silence in ms; ARGV[3] the prefix of thread keys; ARGV[4] how many
-- abandoned cycles to name at most; ARGV[5] the TTL in ms, renewed on each thread renewed and on the index; then
-- name, state pairs, one per thread key
-- Returns how many cycles are gone, their names, then the names of the abandoned cycles.
local time = redis.call('time')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local stamp = string.format('%.0f', now)
local member = 'member.' .. ARGV[1]
local gone = {}
for k = 2, #KEYS do
  local name = ARGV[6 + (k - 2) * 2]
  local state = ARGV[7 + (k - 2) * 2]
  if redis.call('hexists', KEYS[k], member) == 1 and not redis.call('hget', KEYS[k], 'claimedBy') then
    redis.call('hset', KEYS[k], member, state .. ' ' .. stamp)
    redis.call('hincrby', KEYS[k], 'version', 1)
    redis.call('pexpire', KEYS[k], ARGV[5])
    redis.call('zadd', KEYS[1], now, name)
    redis.call('pexpire', KEYS[1], ARGV[5])
  else
    table.insert(gone, name)
  end
end
local result = { tostring(#gone) }
for _, name in ipairs(gone) do
  table.insert(result, name)
end
local candidates = redis.call('zrangebyscore', KEYS[1], '-inf', now - tonumber(ARGV[2]), 'limit', 0, tonumber(ARGV[4]))
for _, name in ipairs(candidates) do
  if redis.call('exists', ARGV[3] .. name) == 1 then
    table.insert(result, name)
  else
    redis.call('zrem', KEYS[1], name)
  end
end
return result
