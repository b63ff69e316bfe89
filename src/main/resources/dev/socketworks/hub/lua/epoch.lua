-- Opens every script that creates a topic's epoch: ARGV[1] its name, ARGV[2] the keys' time to
-- live, ARGV[3] the first offset of a new epoch (0 for a counter, the clock in µs for a log: a
-- topic is one or the other, and a script of the other kind gets the error WRONGKIND). touch()
-- renews the keys' time to live.
local ttl = ARGV[2]
-- Offsets pass 10^14: Lua's tostring would write them in exponent notation.
local function int(n) return string.format('%d', n) end
local function touch() for i = 1, #KEYS do redis.call('PEXPIRE', KEYS[i], ttl) end end
local kind = 'log'
if ARGV[3] == '0' then kind = 'counter' end
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[1]
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'offset', ARGV[3], 'kind', kind)
else
  local was = redis.call('HGET', KEYS[1], 'kind')
  if was and was ~= kind then return redis.error_reply('WRONGKIND the topic is a ' .. was) end
end
