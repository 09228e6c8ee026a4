#!lua flags=allow-key-locking
-- Resets one page of a counter atomically: its count and its dedupe sets go together, so a visit never finds the
-- page counted but its visitors gone, nor the reverse. Called through counter/CounterAdministration.java.
--
-- KEYS
--   1 pageCounts   the counter's pages: a sorted set of normalised paths scored by their counts
--   2 ...          per generation of the page's dedupe sets: its state hash, then every bucket of levels 0 to
--                  ARGV[2]
-- ARGV
--   1 path         the page's normalised path
--   2 topLevel     the highest level the keys cover
--
-- Returns {keys removed}, or {-1} when a generation has grown past topLevel since the caller read it: nothing was
-- removed, and the caller names the keys again.
local path, topLevel = ARGV[1], tonumber(ARGV[2])
local buckets = 0
for level = 0, topLevel do
  buckets = buckets + 4 ^ level
end
local generationKeys = 1 + buckets
for first = 2, #KEYS, generationKeys do
  local top = tonumber(redis.call('HGET', KEYS[first], 'top') or 0)
  if top > topLevel then
    return { -1 }
  end
end
local removed = redis.call('ZREM', KEYS[1], path)
for index = 2, #KEYS do
  removed = removed + redis.call('UNLINK', KEYS[index])
end
return { removed }
