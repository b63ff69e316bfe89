-- KEYS meta; ARGV epoch, ttl, start, delta, channel. Returns {1, value, offset}, or {0} on overflow.
-- uses epoch.lua
local ok = pcall(redis.call, 'HINCRBY', KEYS[1], 'value', ARGV[4])
if not ok then return {0} end
local value = redis.call('HGET', KEYS[1], 'value')
local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
redis.call('PUBLISH', ARGV[5], epoch .. '\n' .. int(offset) .. '\nt\n' .. value)
touch()
return {1, value, offset}
