#!lua flags=allow-key-locking
-- Reads a counter's pages in one round trip, and whether the counter exists. Called through
-- counter/PageStore.java. Writes nothing.
--
-- KEYS
--   1 countKey     the counter's count: the counter exists by it
--   2 pageCounts   the counter's pages: a sorted set of normalised paths scored by their counts
-- ARGV
--   1 'top', then 2 how many of the most visited pages
--   1 'paths', then 2 ... the normalised paths to read
--
-- Returns strings: '1' when the counter exists, else '0'; then, for 'top', path and count of each page, most
-- visited first; for 'paths', the count of each path in the order given, '0' for a page the counter does not hold.
local reply = { tostring(redis.call('EXISTS', KEYS[1])) }
if ARGV[1] == 'top' then
  local top = redis.call('ZREVRANGE', KEYS[2], 0, tonumber(ARGV[2]) - 1, 'WITHSCORES')
  for _, value in ipairs(top) do
    reply[#reply + 1] = value
  end
else
  local counts = redis.call('ZMSCORE', KEYS[2], unpack(ARGV, 2))
  for index = 1, #ARGV - 1 do
    reply[#reply + 1] = counts[index] or '0'
  end
end
return reply
