-- Registers one visit atomically, limits included, in one round trip.
--
-- KEYS[1] counter, KEYS[2] seen-key of this visitor,
-- KEYS[3] request log of this client, KEYS[4] new-visitor log of this client (sorted sets, sliding windows),
-- KEYS[5] today's HyperLogLog of visitors, KEYS[6] the counter's change channel (a key too: it carries the
-- counter's hash tag, so a cluster routes the script and its SPUBLISH to the counter's slot).
-- ARGV[1] dedupe TTL in seconds, 0 = forever; ARGV[2] '1' when the visit may be counted, '0' to only read;
-- ARGV[3] request budget, 0 = off; ARGV[4] its window in ms; ARGV[5] new-visitor cap, 0 = off;
-- ARGV[6] its window in ms; ARGV[7] a token unique to this request; ARGV[8] the visitor digest;
-- ARGV[9] TTL of a day's HyperLogLog in seconds; ARGV[10] 'SPUBLISH' or 'PUBLISH', the command that announces
-- a new count.
--
-- Returns {outcome, count, remaining requests, ms until the oldest logged request leaves the window}.
-- outcome: 1 new visitor, 0 returning, 2 not counted (new-visitor cap), 3 not counted (ARGV[2] = '0'),
-- -1 over the request budget (then the last field is the time until a request is allowed again).
-- Safe to replay: the seen-key makes a replayed registration a returning visit, and the request token
-- makes a replayed log entry the same entry; PFADD is idempotent, and only a count that changed is published.
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
  return tonumber(redis.call('GET', KEYS[1]) or '0')
end

-- A visitor seen today, new or returning, joins the day's uniques; the TTL is set when the key is made.
local function seenToday()
  if redis.call('PFADD', KEYS[5], ARGV[8]) == 1 then
    redis.call('EXPIRE', KEYS[5], ARGV[9])
  end
end

local remaining, reset = -1, 0
local budget = tonumber(ARGV[3])
if budget > 0 then
  local window = tonumber(ARGV[4])
  local used = entries(KEYS[3], window)
  if not redis.call('ZSCORE', KEYS[3], ARGV[7]) then
    if used >= budget then
      return { -1, 0, 0, untilOldestLeaves(KEYS[3], window) }
    end
    redis.call('ZADD', KEYS[3], now, ARGV[7])
    redis.call('PEXPIRE', KEYS[3], window)
    used = used + 1
  end
  remaining = budget - used
  reset = untilOldestLeaves(KEYS[3], window)
end

if ARGV[2] ~= '1' then
  return { 3, count(), remaining, reset }
end

local cap = tonumber(ARGV[5])
local capWindow = tonumber(ARGV[6])
if cap > 0 and entries(KEYS[4], capWindow) >= cap then
  if redis.call('EXISTS', KEYS[2]) == 1 then
    seenToday()
    return { 0, count(), remaining, reset }
  end
  return { 2, count(), remaining, reset }
end

local ttl = tonumber(ARGV[1])
local created
if ttl > 0 then
  created = redis.call('SET', KEYS[2], '1', 'NX', 'EX', ttl)
else
  created = redis.call('SET', KEYS[2], '1', 'NX')
end
seenToday()
if not created then
  return { 0, count(), remaining, reset }
end
if cap > 0 then
  redis.call('ZADD', KEYS[4], now, ARGV[7])
  redis.call('PEXPIRE', KEYS[4], capWindow)
end
local total = redis.call('INCR', KEYS[1])
redis.call(ARGV[10], KEYS[6], total)
return { 1, total, remaining, reset }
