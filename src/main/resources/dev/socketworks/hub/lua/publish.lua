-- KEYS meta, log; ARGV epoch, ttl, start, kind, payload, maxMessages, maxBytes, cost, channel.
-- Returns {offset, the bytes the topic's history holds now} (the engine-wide budget is kept apart:
-- account-history.lua).
-- uses epoch.lua
local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
local maxMessages = tonumber(ARGV[6])
if maxMessages > 0 then
  local maxBytes = tonumber(ARGV[7])
  local cost = tonumber(ARGV[8])
  if cost > maxBytes then
    redis.call('HSET', KEYS[1], 'dropped', int(offset))
  else
    redis.call('XADD', KEYS[2], int(offset) .. '-0', 'k', ARGV[4], 'p', ARGV[5], 'c', ARGV[8])
    local used = redis.call('HINCRBY', KEYS[1], 'bytes', cost)
    local count = redis.call('XLEN', KEYS[2])
    while count > maxMessages or used > maxBytes do
      local oldest = redis.call('XRANGE', KEYS[2], '-', '+', 'COUNT', 1)[1]
      local fields = oldest[2]
      local c = 0
      for i = 1, #fields, 2 do if fields[i] == 'c' then c = tonumber(fields[i + 1]) end end
      redis.call('XDEL', KEYS[2], oldest[1])
      used = redis.call('HINCRBY', KEYS[1], 'bytes', -c)
      count = count - 1
      redis.call('HSET', KEYS[1], 'dropped', string.match(oldest[1], '^(%d+)'))
    end
  end
end
redis.call('PUBLISH', ARGV[9], epoch .. '\n' .. int(offset) .. '\n' .. ARGV[4] .. '\n' .. ARGV[5])
touch()
return {offset, tonumber(redis.call('HGET', KEYS[1], 'bytes') or '0')}
