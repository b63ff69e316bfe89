-- KEYS bytes (hash: topic -> its history's bytes), used (sorted set: topic -> last publication, ms),
-- total; ARGV topic, bytes now, now (ms), budget, ttl. Every server's history together must stay
-- within the budget, and a topic's keys live in its own slot, so the account is kept here, apart
-- (one slot), after each publication. Returns the topics whose history must go, least recently
-- published first, until the total fits (never the topic just accounted for).
local topic = ARGV[1]
local bytes = tonumber(ARGV[2])
local before = tonumber(redis.call('HGET', KEYS[1], topic) or '0')
local total = redis.call('INCRBY', KEYS[3], bytes - before)
if bytes > 0 then
  redis.call('HSET', KEYS[1], topic, bytes)
  redis.call('ZADD', KEYS[2], ARGV[3], topic)
else
  redis.call('HDEL', KEYS[1], topic)
  redis.call('ZREM', KEYS[2], topic)
end
for i = 1, #KEYS do redis.call('PEXPIRE', KEYS[i], ARGV[5]) end
local victims = {}
local excess = total - tonumber(ARGV[4])
if excess <= 0 then return victims end
for _, other in ipairs(redis.call('ZRANGE', KEYS[2], 0, 63)) do
  if other ~= topic then
    table.insert(victims, other)
    excess = excess - tonumber(redis.call('HGET', KEYS[1], other) or '0')
    if excess <= 0 then break end
  end
end
return victims
