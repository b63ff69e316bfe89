-- members_json(members, order, last): the members' JSON entries as one array, in the order they
-- entered, up to index last (-1: all of them).
local function members_json(members, order, last)
  local keys = redis.call('ZRANGE', order, 0, last)
  if #keys == 0 then return '[]' end
  return '[' .. table.concat(redis.call('HMGET', members, unpack(keys)), ',') .. ']'
end
