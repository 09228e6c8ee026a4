#!lua flags=allow-key-locking
-- The first line lets Upstash lock only KEYS[1]; counter/LuaScripts.java blanks it where the server rejects it.
-- Budget of failed owner-API authentications per client address (a sliding window).
-- KEYS[1] failure log of the address (sorted set); ARGV[1] failures allowed per window; ARGV[2] window in ms;
-- ARGV[3] '1' to log a failure now, '0' only to check; ARGV[4] a token unique to this attempt.
-- Returns {1, 0} while attempts are allowed, {0, ms until they are again} once the budget is spent.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return { 0, tonumber(oldest[2]) + window - now }
end
if ARGV[3] == '1' then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
end
return { 1, 0 }
