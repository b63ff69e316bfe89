-- KEYS meta; ARGV epoch, ttl, start. Returns epoch, value, offset.
-- uses epoch.lua
local meta = redis.call('HMGET', KEYS[1], 'value', 'offset')
return {epoch, meta[1] or '0', meta[2] or '0'}
