-- Hold a channel for every replica until Slack's Retry-After is over; a longer hold already set stays.
-- KEYS[1] the channel's hold; ARGV[1] the hold in ms
if redis.call('pttl', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('set', KEYS[1], '1', 'px', ARGV[1])
end
return 1
