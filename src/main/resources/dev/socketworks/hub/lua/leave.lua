-- KEYS meta, members, order, holds, users; ARGV epoch, ttl, start, key, announcement, channel, node, every ('1': all of the node's holds, as when it died). Returns the offset, 0 (the node held none) or -1 (other holds keep the entry).
-- uses epoch.lua
-- uses holds.lua
if redis.call('HEXISTS', KEYS[2], ARGV[4]) == 0 then return 0 end
local mine = tonumber(redis.call('HGET', KEYS[4], ARGV[4] .. '\n' .. ARGV[7]) or '0')
-- An entry without holds was entered by an earlier version: its one connection leaves.
if redis.call('HEXISTS', KEYS[4], ARGV[4]) == 0 then mine = 1; hold(KEYS[4], ARGV[4], ARGV[7], 1) end
if mine <= 0 then return 0 end
local n = 1
if ARGV[8] == '1' then n = mine end
if hold(KEYS[4], ARGV[4], ARGV[7], -n) > 0 then
  if mine == n then redis.call('HDEL', KEYS[4], ARGV[4] .. '\n' .. ARGV[7]) end
  touch()
  return -1
end
redis.call('HDEL', KEYS[4], ARGV[4], ARGV[4] .. '\n' .. ARGV[7])
local gone = cjson.decode(redis.call('HGET', KEYS[2], ARGV[4]))
if type(gone['user']) == 'string' and redis.call('HGET', KEYS[5], gone['user']) == ARGV[4] then
  redis.call('HDEL', KEYS[5], gone['user'])
end
redis.call('HDEL', KEYS[2], ARGV[4])
redis.call('ZREM', KEYS[3], ARGV[4])
local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
redis.call('PUBLISH', ARGV[6], epoch .. '\n' .. int(offset) .. '\np\n' .. redis.call('ZCARD', KEYS[3]) .. '\n' .. ARGV[5])
touch()
return offset
