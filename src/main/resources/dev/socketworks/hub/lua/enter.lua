-- KEYS meta, members, order, holds, users; ARGV epoch, ttl, start, key, member, announcement, channel,
-- user (empty: a guest), node, listMax. Returns {0} when the key is taken (nothing changed), else
-- {offset, count, first members (at most listMax, JSON), entry held (JSON), the topic's offset}:
-- offset -1 when the user's entry, whatever its key, is held once more and nothing is announced. Only the caller gets
-- the list: the announcement carries none, so a join costs each other member O(1) bytes.
-- uses epoch.lua
-- uses members.lua
-- uses holds.lua
local user = ARGV[8]
local last = tonumber(ARGV[10]) - 1
local function first_members()
  if last < 0 then return '[]' end
  return members_json(KEYS[2], KEYS[3], last)
end
local function held_again(key)
  hold(KEYS[4], key, ARGV[9], 1)
  touch()
  return {-1, redis.call('ZCARD', KEYS[3]), first_members(), redis.call('HGET', KEYS[2], key),
          tonumber(redis.call('HGET', KEYS[1], 'offset') or '0')}
end
if user ~= '' then
  local own = redis.call('HGET', KEYS[5], user)
  if own and redis.call('HEXISTS', KEYS[2], own) == 1 then return held_again(own) end
end
local present = redis.call('HGET', KEYS[2], ARGV[4])
if present then
  -- An entry made before the users hash existed: its user is in its JSON.
  if user ~= '' and cjson.decode(present)['user'] == user then return held_again(ARGV[4]) end
  return {0}
end
redis.call('HSET', KEYS[2], ARGV[4], ARGV[5])
if user ~= '' then redis.call('HSET', KEYS[5], user, ARGV[4]) end
hold(KEYS[4], ARGV[4], ARGV[9], 1)
local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
redis.call('ZADD', KEYS[3], offset, ARGV[4])
redis.call('PUBLISH', ARGV[7], epoch .. '\n' .. int(offset) .. '\np\n' .. redis.call('ZCARD', KEYS[3]) .. '\n' .. ARGV[6])
touch()
return {offset, redis.call('ZCARD', KEYS[3]), first_members(), ARGV[5], offset}
