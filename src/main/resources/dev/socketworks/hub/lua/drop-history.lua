-- KEYS meta, log. Drops the topic's retained history (the engine's budget for all history is spent):
-- resumes from before now get what a lost past gives. Returns the bytes freed.
local bytes = tonumber(redis.call('HGET', KEYS[1], 'bytes') or '0')
local offset = redis.call('HGET', KEYS[1], 'offset')
if not offset then return 0 end
redis.call('DEL', KEYS[2])
redis.call('HSET', KEYS[1], 'bytes', 0, 'dropped', offset)
return bytes
