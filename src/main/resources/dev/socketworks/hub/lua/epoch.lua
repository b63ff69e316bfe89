-- Opens every script that creates a topic's epoch: ARGV[1] its name, ARGV[2] the keys' time to
-- live, ARGV[3] the first offset of a new epoch. touch() renews the keys' time to live.
local ttl = ARGV[2]
-- Offsets pass 10^14: Lua's tostring would write them in exponent notation.
local function int(n) return string.format('%d', n) end
local function touch() for i = 1, #KEYS do redis.call('PEXPIRE', KEYS[i], ttl) end end
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then epoch = ARGV[1]; redis.call('HSET', KEYS[1], 'epoch', epoch, 'offset', ARGV[3]) end
