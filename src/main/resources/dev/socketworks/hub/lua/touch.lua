-- KEYS any of a topic's; ARGV ttl. Keeps a topic this server follows from expiring.
for i = 1, #KEYS do redis.call('PEXPIRE', KEYS[i], ARGV[1]) end
return 0
