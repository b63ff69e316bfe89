-- A presence entry's holds: field KEY counts them all, field KEY\nNODE those of one server (what
-- its death takes away). A user's connections share one entry; a guest's entry has one hold.
local function hold(holds, key, node, n)
  redis.call('HINCRBY', holds, key .. '\n' .. node, n)
  return redis.call('HINCRBY', holds, key, n)
end
