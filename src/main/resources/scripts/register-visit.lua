-- Registers one visit atomically: counts the visitor only the first time its seen-key is created.
-- KEYS[1] counter key, KEYS[2] seen-key of this visitor; ARGV[1] dedupe TTL in seconds, 0 = forever.
-- Returns {1, count} for a new visitor, {0, count} for a returning one. Safe to replay: a replay finds
-- the seen-key already set and only reads the count.
local ttl = tonumber(ARGV[1])
local created
if ttl > 0 then
  created = redis.call('SET', KEYS[2], '1', 'NX', 'EX', ttl)
else
  created = redis.call('SET', KEYS[2], '1', 'NX')
end
if created then
  return { 1, redis.call('INCR', KEYS[1]) }
end
return { 0, tonumber(redis.call('GET', KEYS[1]) or '0') }
