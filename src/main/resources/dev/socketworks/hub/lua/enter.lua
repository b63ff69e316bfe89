-- KEYS meta, members, order, holds; ARGV epoch, ttl, start, key, member, announcement, channel, user (empty: a guest), node. Returns the offset, 0 (taken) or -1 (the same user's entry: held once more).
-- uses epoch.lua
-- uses members.lua
-- uses holds.lua
local present = redis.call('HGET', KEYS[2], ARGV[4])
if present then
  if ARGV[8] == '' or cjson.decode(present)['user'] ~= ARGV[8] then return 0 end
  hold(KEYS[4], ARGV[4], ARGV[9], 1)
  touch()
  return -1
end
redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
hold(KEYS[4], ARGV[4], ARGV[9], 1)
local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
redis.call('ZADD', KEYS[3], offset, ARGV[4])
redis.call('PUBLISH', ARGV[7], epoch .. '\n' .. int(offset) .. '\nt\n' .. members_json(KEYS[2], KEYS[3]) .. '\n' .. ARGV[6])
touch()
return offset
