-- members_json(members, order): the members' JSON entries as one array, in the order they entered.
local function members_json(members, order)
  local keys = redis.call('ZRANGE', order, 0, -1)
  if #keys == 0 then return '[]' end
  return '[' .. table.concat(redis.call('HMGET', members, unpack(keys)), ',') .. ']'
end
