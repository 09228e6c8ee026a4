-- Admits a counter into the registry of the counters that exist, under a cap: decided atomically in one key, so
-- every instance of a deployment, and every node of a cluster, shares one bound. Called through
-- counter/CounterRegistry.java.
--
-- KEYS
--   1 registry   the names of the counters that exist (a sorted set, all scores 0: ordered by name)
-- ARGV
--   1 counter    the counter to admit
--   2 cap        how many counters the registry may hold; -1 = no cap (the owner creates the counter)
--
-- Returns {1} when the counter is (or already was) in the registry, {0} when the cap refused it.
local registry, counter, cap = KEYS[1], ARGV[1], tonumber(ARGV[2])
if redis.call('ZSCORE', registry, counter) then
  return { 1 }
end
if cap >= 0 and redis.call('ZCARD', registry) >= cap then
  return { 0 }
end
redis.call('ZADD', registry, 0, counter)
return { 1 }
