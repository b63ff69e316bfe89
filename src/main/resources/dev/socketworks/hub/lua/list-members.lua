-- KEYS members, order.
-- uses members.lua
return members_json(KEYS[1], KEYS[2], -1)
