-- KEYS meta, log; ARGV epoch, ttl, start, start id, limit. Returns epoch, last offset, dropped, entries.
-- uses epoch.lua
local meta = redis.call('HMGET', KEYS[1], 'offset', 'dropped')
local entries = {}
if tonumber(ARGV[5]) > 0 then
  entries = redis.call('XRANGE', KEYS[2], ARGV[4], '+', 'COUNT', ARGV[5])
end
return {epoch, meta[1] or '0', meta[2] or '0', entries}
