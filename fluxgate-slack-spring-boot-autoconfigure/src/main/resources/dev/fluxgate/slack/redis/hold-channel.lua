-- Hold a channel for every replica until Slack's Retry-After is over; a longer hold already set stays.
-- A hold of 0 ms or less (Retry-After: 0, or a date already past) holds nothing: the channel is free now, and
-- SET … PX refuses an expiry below 1.
-- KEYS[1] the channel's hold; ARGV[1] the hold in ms
local hold = tonumber(ARGV[1])
if hold > 0 and redis.call('pttl', KEYS[1]) < hold then
  redis.call('set', KEYS[1], '1', 'px', hold)
end
return 1
