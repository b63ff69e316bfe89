-- KEYS seen; ARGV now (ms), before (ms), topic, forgotten (1 or 0). After forget-topic.lua: a forgotten
-- topic leaves the list unless a server reported it since before; a kept one (members, a counter)
-- counts as used now, so the next choice looks further.
if ARGV[4] == '1' then
  local score = redis.call('ZSCORE', KEYS[1], ARGV[3])
  if score and tonumber(score) < tonumber(ARGV[2]) then redis.call('ZREM', KEYS[1], ARGV[3]) end
else
  redis.call('ZADD', KEYS[1], ARGV[1], ARGV[3])
end
return 0
