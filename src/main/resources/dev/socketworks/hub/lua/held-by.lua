-- KEYS order, holds; ARGV node. The keys of the entries the node holds.
local held = {}
for _, key in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('HEXISTS', KEYS[2], key .. '\n' .. ARGV[1]) == 1 then held[#held + 1] = key end
end
return held
