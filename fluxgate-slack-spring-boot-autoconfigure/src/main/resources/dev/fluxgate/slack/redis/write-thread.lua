-- Create a thread where its breaker has none, or replace the version the writer read, and keep the index of open
-- cycles, scored by each cycle's last sign of life on Redis's clock (a claim's end, else its latest heartbeat).
-- Only the members the writer changed are written, each stamped with Redis's time; the others keep what is stored,
-- so that a heartbeat renewed meanwhile stays.
-- KEYS[1] the thread key; KEYS[2] the index of open cycles
-- ARGV[1] 'create' or 'replace'; ARGV[2] the TTL in ms; ARGV[3] the breaker's name; ARGV[4] the expected root ts,
-- empty for a claim; ARGV[5] the expected version; ARGV[6] the expected claim ('claimedBy claimUntil', empty once
-- the root is posted); ARGV[7] n, the number of thread fields; then n field, value pairs; then instance, state pairs
-- of the members changed, an empty state for one that leaves
if ARGV[1] == 'create' then
  if redis.call('exists', KEYS[1]) == 1 then
    return 0
  end
else
  local read = redis.call('hmget', KEYS[1], 'ts', 'version', 'claimedBy', 'claimUntil')
  local claim = read[3] and (read[3] .. ' ' .. (read[4] or '')) or ''
  if (read[1] or '') ~= ARGV[4] or read[2] ~= ARGV[5] or claim ~= ARGV[6] then
    return 0
  end
  redis.call('hdel', KEYS[1], 'claimedBy', 'claimUntil')
end
local time = redis.call('time')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local stamp = string.format('%.0f', now)
local fields = {}
local n = tonumber(ARGV[7])
for i = 8, 7 + 2 * n do
  table.insert(fields, ARGV[i])
end
local left = {}
local stamped = false
for i = 8 + 2 * n, #ARGV, 2 do
  if ARGV[i + 1] == '' then
    table.insert(left, 'member.' .. ARGV[i])
  else
    table.insert(fields, 'member.' .. ARGV[i])
    table.insert(fields, ARGV[i + 1] .. ' ' .. stamp)
    stamped = true
  end
end
redis.call('hset', KEYS[1], unpack(fields))
if #left > 0 then
  redis.call('hdel', KEYS[1], unpack(left))
end
local score = tonumber(redis.call('hget', KEYS[1], 'claimUntil') or '')
if not score and stamped then
  score = now
elseif not score then
  local stored = redis.call('hgetall', KEYS[1])
  for j = 1, #stored, 2 do
    if string.sub(stored[j], 1, 7) == 'member.' then
      local heartbeat = tonumber(string.match(stored[j + 1], ' (%d+)$') or '')
      if heartbeat and (not score or heartbeat > score) then
        score = heartbeat
      end
    end
  end
end
-- a thread with no sign of life (no claim, no member: a storm digest's, which the digest ends) is never abandoned
redis.call('zadd', KEYS[2], score or '+inf', ARGV[3])
redis.call('pexpire', KEYS[1], ARGV[2])
redis.call('pexpire', KEYS[2], ARGV[2])
return 1
