-- register-visit.lua as of 9b10a9c, the layout before dedupe sets (one seen-key per visitor): the tests write
-- with it the Redis that an upgrade starts from.
-- Registers one visit atomically, limits included, in one round trip. Called through
-- counter/RegistrationScript.java, whose names these are.
--
-- KEYS
--   1 countKey        the counter's count
--   2 seenKey         marks this visitor as counted
--   3 requestLog      recent requests of this client address (sorted set, a sliding window)
--   4 newVisitorLog   new visitors this client address registered recently (sorted set, a sliding window)
--   5 dayKey          today's HyperLogLog of visitors
--   6 channel         the counter's change channel; a key too, as it carries the counter's hash tag, so a cluster
--                     routes the script and its SPUBLISH to the counter's slot
-- ARGV (RegistrationScript.Arguments)
--   1 dedupeTtlSeconds        how long a visitor stays counted, 0 = forever
--   2 requestBudget           requests allowed per window, 0 = off
--   3 requestWindowMillis
--   4 newVisitorCap           new visitors allowed per window, 0 = off
--   5 newVisitorWindowMillis
--   6 dayTtlSeconds           how long a day's HyperLogLog is kept
--   7 publishCommand          'SPUBLISH' or 'PUBLISH', the command that announces a new count
--   8 countable               '1' when the visit may be counted, '0' to only read
--   9 requestToken            unique to this request
--  10 visitorDigest
--
-- Returns {outcome, count, remaining requests (-1 when budgets are off), ms until the oldest logged request leaves
-- the window}; when over budget, the last field is the time until a request is allowed again.
-- Safe to replay: the seen-key makes a replayed registration a returning visit, and the request token makes a
-- replayed log entry the same entry; PFADD is idempotent, and only a count that changed is published.
local OUTCOME = { OVER_BUDGET = -1, RETURNING = 0, NEW = 1, CAPPED = 2, NOT_COUNTABLE = 3 }

local countKey, seenKey, requestLog, newVisitorLog, dayKey, channel =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6]
local dedupeTtlSeconds = tonumber(ARGV[1])
local requestBudget, requestWindowMillis = tonumber(ARGV[2]), tonumber(ARGV[3])
local newVisitorCap, newVisitorWindowMillis = tonumber(ARGV[4]), tonumber(ARGV[5])
local dayTtlSeconds, publishCommand = ARGV[6], ARGV[7]
local countable, requestToken, visitorDigest = ARGV[8] == '1', ARGV[9], ARGV[10]

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local function entries(log, window)
  redis.call('ZREMRANGEBYSCORE', log, '-inf', now - window)
  return redis.call('ZCARD', log)
end

local function untilOldestLeaves(log, window)
  local oldest = redis.call('ZRANGE', log, 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end

local function count()
  return tonumber(redis.call('GET', countKey) or '0')
end

-- A visitor seen today, new or returning, joins the day's uniques; the TTL is set when the key is made.
local function seenToday()
  if redis.call('PFADD', dayKey, visitorDigest) == 1 then
    redis.call('EXPIRE', dayKey, dayTtlSeconds)
  end
end

local remaining, reset = -1, 0
if requestBudget > 0 then
  local used = entries(requestLog, requestWindowMillis)
  if not redis.call('ZSCORE', requestLog, requestToken) then
    if used >= requestBudget then
      return { OUTCOME.OVER_BUDGET, 0, 0, untilOldestLeaves(requestLog, requestWindowMillis) }
    end
    redis.call('ZADD', requestLog, now, requestToken)
    redis.call('PEXPIRE', requestLog, requestWindowMillis)
    used = used + 1
  end
  remaining = requestBudget - used
  reset = untilOldestLeaves(requestLog, requestWindowMillis)
end

if not countable then
  return { OUTCOME.NOT_COUNTABLE, count(), remaining, reset }
end

if newVisitorCap > 0 and entries(newVisitorLog, newVisitorWindowMillis) >= newVisitorCap then
  if redis.call('EXISTS', seenKey) == 1 then
    seenToday()
    return { OUTCOME.RETURNING, count(), remaining, reset }
  end
  return { OUTCOME.CAPPED, count(), remaining, reset }
end

local created
if dedupeTtlSeconds > 0 then
  created = redis.call('SET', seenKey, '1', 'NX', 'EX', dedupeTtlSeconds)
else
  created = redis.call('SET', seenKey, '1', 'NX')
end
seenToday()
if not created then
  return { OUTCOME.RETURNING, count(), remaining, reset }
end
if newVisitorCap > 0 then
  redis.call('ZADD', newVisitorLog, now, requestToken)
  redis.call('PEXPIRE', newVisitorLog, newVisitorWindowMillis)
end
local total = redis.call('INCR', countKey)
redis.call(publishCommand, channel, total)
return { OUTCOME.NEW, total, remaining, reset }
