-- Give back a channel's storm-digest lease, only if this replica holds it, so that the next replica to take its turn
-- flushes at once, as when the replicas stop one after another.
-- KEYS[1] the lease; ARGV[1] the instance
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
