-- KEYS alive, all; ARGV identity, ttl. Returns the previous value of the liveness key (nil: it had expired).
local was = redis.call('GET', KEYS[1])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SADD', KEYS[2], ARGV[1])
return was
