-- KEYS meta, log, members, order, holds, users; ARGV none. Forgets a topic the engine's topic budget
-- chose (too many known, this one unused longest): its keys go, unless members are in it or it is a
-- counter (a running total is not a client's to push out). Returns 1 if forgotten, 0 if kept; a
-- topic used again afterwards starts a new epoch, as after any lost past.
if redis.call('HGET', KEYS[1], 'kind') == 'counter' then return 0 end
if redis.call('ZCARD', KEYS[4]) > 0 then return 0 end
redis.call('DEL', unpack(KEYS))
return 1
