#!lua flags=allow-key-locking
-- The first line lets Upstash lock only the declared keys; counter/LuaScripts.java blanks it where the server
-- rejects it.
-- Admits a counter into the registry of the counters that exist, under a cap for those that visits create: decided
-- atomically in one hash slot, so every instance of a deployment, and every node of a cluster, shares one bound.
-- Called through counter/CounterRegistry.java.
--
-- KEYS
--   1 registry         the names of the counters that exist (a sorted set, all scores 0: ordered by name)
--   2 createdByVisits  the names of those that visits created: what the cap bounds (listed counters and the
--                      owner's do not count against it)
-- ARGV
--   1 counter          the counter to admit
--   2 cap              how many counters visits may create; -1 = no cap (a listed counter, or the owner's)
--
-- Returns {1} when the counter is (or already was) in the registry, {0} when the cap refused it.
local registry, createdByVisits = KEYS[1], KEYS[2]
local counter, cap = ARGV[1], tonumber(ARGV[2])
if redis.call('ZSCORE', registry, counter) then
  return { 1 }
end
if cap >= 0 then
  if redis.call('ZCARD', createdByVisits) >= cap then
    return { 0 }
  end
  redis.call('ZADD', createdByVisits, 0, counter)
end
redis.call('ZADD', registry, 0, counter)
return { 1 }
