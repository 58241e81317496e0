-- Keep an action's desired state and publish it, in one step, so that no replica is told of a state that is not
-- kept, nor finds in Redis a state it was never told of. A thread's marks are one hash, indexed in a sorted set scored
-- by the hash's expiry on Redis's clock, so that the snapshot finds them without a scan and the index sheds the
-- threads whose marks expired. The forced hash has no TTL: Force open is a standing order, undone only by Close or
-- Reset, never by time.
-- KEYS[1] the hash of the breakers forced open; KEYS[2] the index of the threads with marks; KEYS[3] the thread's
-- marks, for a mark only
-- ARGV[1] 'force', 'unforce', 'acknowledge', 'unacknowledge', 'silence', 'unsilence', or 'publish' for a mark without
-- a thread;
-- ARGV[2] the TTL in ms; ARGV[3] the channel; ARGV[4] the event's JSON; ARGV[5] the breaker; ARGV[6] the thread's
-- ts; ARGV[7] the user, empty to undo; ARGV[8] silenced until, epoch ms, empty to undo
local operation = ARGV[1]
local ttl = tonumber(ARGV[2])
if operation == 'force' then
  redis.call('hset', KEYS[1], ARGV[5], ARGV[4])
  redis.call('persist', KEYS[1])
elseif operation == 'unforce' then
  redis.call('hdel', KEYS[1], ARGV[5])
elseif operation ~= 'publish' then
  if operation == 'acknowledge' or operation == 'unacknowledge' then
    if operation == 'unacknowledge' or ARGV[7] == '' then
      redis.call('hdel', KEYS[3], 'acknowledgedBy')
    else
      redis.call('hset', KEYS[3], 'acknowledgedBy', ARGV[7])
    end
  else
    -- a silence and its undo write both fields, as ThreadMarks.silencedBy does
    redis.call('hdel', KEYS[3], 'silencedBy', 'silencedUntil')
    if operation == 'silence' and ARGV[7] ~= '' then
      redis.call('hset', KEYS[3], 'silencedBy', ARGV[7])
    end
    if operation == 'silence' and ARGV[8] ~= '' then
      redis.call('hset', KEYS[3], 'silencedUntil', ARGV[8])
    end
  end
  local time = redis.call('time')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  redis.call('zremrangebyscore', KEYS[2], '-inf', now)
  if redis.call('exists', KEYS[3]) == 1 then
    redis.call('pexpire', KEYS[3], ttl)
    redis.call('zadd', KEYS[2], now + ttl, ARGV[6])
    redis.call('pexpire', KEYS[2], ttl)
  else
    redis.call('zrem', KEYS[2], ARGV[6])
  end
end
redis.call('publish', ARGV[3], ARGV[4])
return 1
