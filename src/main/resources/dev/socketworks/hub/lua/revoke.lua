-- KEYS revoked; ARGV before (epoch ms), keep (ms). The moment only moves forward; the key lives keep from now.
local was = tonumber(redis.call('GET', KEYS[1]) or '0')
local before = math.max(was, tonumber(ARGV[1]))
redis.call('SET', KEYS[1], tostring(before), 'PX', ARGV[2])
return before
