#!lua flags=allow-key-locking
-- The first line lets Upstash lock only the declared keys; counter/LuaScripts.java blanks it where the server
-- rejects it.
-- Budget of failed owner-API authentications: per client address, and across all addresses, so that a guess
-- distributed over many addresses cannot try many tokens either. Sliding windows. Called through
-- counter/AdminFailuresScript.java.
--
-- KEYS
--   1 addressLog   failures of this client address (sorted set)
--   2 allLog       failures of all addresses (sorted set); the same hash tag as addressLog
-- ARGV
--   1 perAddress   failures allowed per address and window
--   2 inAll        failures allowed across all addresses per window
--   3 windowMillis
--   4 failed       '1' to log a failure now, '0' only to check
--   5 attemptToken unique to this attempt
--
-- Returns {1, 0} while attempts are allowed, {0, ms until they are again} once a budget is spent.
local addressLog, allLog = KEYS[1], KEYS[2]
local perAddress, inAll, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local failed, attemptToken = ARGV[4] == '1', ARGV[5]

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local function untilAllowed(log, allowed)
  redis.call('ZREMRANGEBYSCORE', log, '-inf', now - window)
  local used = redis.call('ZCARD', log)
  if used < allowed then
    return 0
  end
  -- The attempt that frees a place is the (used - allowed + 1)th oldest.
  local freeing = redis.call('ZRANGE', log, used - allowed, used - allowed, 'WITHSCORES')
  return tonumber(freeing[2]) + window - now
end

local wait = math.max(untilAllowed(addressLog, perAddress), untilAllowed(allLog, inAll))
if wait > 0 then
  return { 0, wait }
end
if failed then
  for _, log in ipairs({ addressLog, allLog }) do
    redis.call('ZADD', log, now, attemptToken)
    redis.call('PEXPIRE', log, window)
  end
end
return { 1, 0 }
