-- KEYS seen (sorted set: topic -> when a server last used or followed it, ms); ARGV ttl, max, now
-- (ms), before (ms), limit, then the topics used or followed since the last report (ARGV[6] on).
-- Every server reports what it used once a second, and what it follows every few seconds. Returns,
-- when more than max topics are known, up to limit of the least recently used ones that nobody used
-- since before: the topics to forget, each checked in its own slot (forget-topic.lua).
for i = 6, #ARGV do redis.call('ZADD', KEYS[1], ARGV[3], ARGV[i]) end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[2])
if excess <= 0 then return {} end
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[4], 'LIMIT', 0, math.min(excess, tonumber(ARGV[5])))
