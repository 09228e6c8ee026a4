#!lua flags=allow-key-locking
-- The first line lets Upstash lock only the declared keys; counter/LuaScripts.java blanks it where the server
-- rejects it.
-- Reads a counter's daily uniques in one command: however many days are asked for, a stats read costs one
-- round trip and one command on the shared connection. Called through counter/DailyUniquesScript.java.
--
-- KEYS
--   1        countKey   the counter's count: the counter exists by it
--   2..n+1   dayKeys    the HyperLogLog of each day, today first, n = max(days, 30)
-- ARGV
--   1 days   how many days to report one by one, 1..n
--
-- Returns {count (-1 for a counter that does not exist), last 7 days, last 30 days, today, yesterday, ...}: the unions are true unions (multi-key
-- PFCOUNT), and the per-day figures run from today backwards for `days` days.
local days = tonumber(ARGV[1])
local dayKeys = {}
for i = 2, #KEYS do
  dayKeys[#dayKeys + 1] = KEYS[i]
end

local reply = { tonumber(redis.call('GET', KEYS[1]) or '-1'),
  redis.call('PFCOUNT', unpack(dayKeys, 1, 7)),
  redis.call('PFCOUNT', unpack(dayKeys, 1, 30)) }
for i = 1, days do
  reply[#reply + 1] = redis.call('PFCOUNT', dayKeys[i])
end
return reply
