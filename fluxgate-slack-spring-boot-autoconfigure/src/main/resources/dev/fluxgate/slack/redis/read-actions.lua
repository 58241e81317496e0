-- Read the desired state in one step: the breakers forced open, and the marks of every thread in the index whose
-- marks have not expired.
-- KEYS[1] the hash of the breakers forced open; KEYS[2] the index of the threads with marks
-- ARGV[1] the prefix of a thread's marks key, its ts following
-- Returns n, then n breaker, event JSON pairs, then ts, acknowledged by, silenced by, silenced until quadruples,
-- each missing value empty
local time = redis.call('time')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local forced = redis.call('hgetall', KEYS[1])
local answer = { tostring(#forced / 2) }
for i = 1, #forced do
  table.insert(answer, forced[i])
end
for _, ts in ipairs(redis.call('zrangebyscore', KEYS[2], '(' .. string.format('%.0f', now), '+inf')) do
  local marks = redis.call('hmget', ARGV[1] .. ts, 'acknowledgedBy', 'silencedBy', 'silencedUntil')
  if marks[1] or marks[2] or marks[3] then
    table.insert(answer, ts)
    for j = 1, 3 do
      table.insert(answer, marks[j] or '')
    end
  end
end
return answer
