#!lua flags=allow-key-locking
-- Registers one visit atomically, limits included, in one round trip: to a counter (the site) and, when a page is
-- given, to that page of it. Called through
-- counter/RegistrationScript.java, whose names these are. The first line lets Upstash lock only the KEYS instead
-- of the whole database; counter/LuaScripts.java blanks it for a server that rejects the flag.
--
-- KEYS (every key the script touches)
--   1 countKey        the counter's count
--   2 requestLog      recent requests of this client address (sorted set, a sliding window)
--   3 newVisitorLog   new visitors this client address registered recently (sorted set, a sliding window)
--   4 dayKey          today's HyperLogLog of visitors
--   5 channel         the counter's change channel; a key too, as it carries the counter's hash tag, so a cluster
--                     routes the script and its SPUBLISH to the counter's slot
--   6 legacySeenKey   this visitor's key in the layout before dedupe sets; when found, moved into them
--   7 resettingKey    present while the owner resets the counter (counter/CounterAdministration.java)
--   8 ...             the dedupe sets (counter/DedupeSets.java): per generation (one, or two with a dedupe TTL)
--                     its state hash, then this visitor's bucket at every level from 0 up
-- and, with a page (docs/pages.md), after them:
--     pageCounts      sorted set: each page's normalised path, kept there once, scored by its count
--     ...             the page's dedupe sets, laid out as the counter's, named by the page's digest
-- ARGV (RegistrationScript.Arguments)
--   1 dedupeTtlSeconds        how long a visitor stays counted, 0 = forever
--   2 requestBudget           requests allowed per window, 0 = off
--   3 requestWindowMillis
--   4 newVisitorCap           new visitors allowed per window, 0 = off
--   5 newVisitorWindowMillis
--   6 dayTtlSeconds           how long a day's HyperLogLog is kept
--   7 publishCommand          'SPUBLISH' or 'PUBLISH', the command that announces a new count
--   8 bucketFill              visitors per bucket, on average, at which the next level begins
--   9 bucketCapacity          the most members a bucket takes (Redis' set-max-intset-entries)
--  10 countable               '1' when the visit may be counted, '0' to only read
--  11 requestToken            unique to this request
--  12 visitorDigest           the visitor's digest, for the day's HyperLogLog
--  13 visitorMember           the 64-bit integer that stands for the visitor in the buckets, in decimal: Lua
--                             numbers are doubles, so it is only ever passed on as a string
--  14 pagePath                the page's normalised path, '' for a visit to the counter alone
--  15 pagesMax                the most pages a counter holds; a new page past it is not created
--  16 maxCount                the largest count (counter/CounterStore.java): a count there stays there
--
-- A counter exists by its count key. For one that does not (UNKNOWN_COUNTER), or one being reset (RESETTING),
-- the script writes nothing: the caller admits the counter first (counter/CounterRegistry.java), or refuses.
--
-- Returns {outcome, count, remaining requests (-1 when budgets are off), ms until the oldest logged request leaves
-- the window, page outcome, page count}; when over budget, the fourth field is the time until a request is allowed
-- again. The page fields are 0 without a page, and when the outcome wrote nothing (UNKNOWN_COUNTER, OVER_BUDGET,
-- RESETTING). A page is counted for a visitor the counter counts or counted before: a visit capped or not
-- countable only reads the page's count.
-- Safe to replay: a replayed registration finds its visitor in the buckets and is a returning visit, and the
-- request token makes a replayed log entry the same entry; PFADD is idempotent, and only a count that changed is
-- published.
local OUTCOME = { UNKNOWN_COUNTER = -2, OVER_BUDGET = -1, RETURNING = 0, NEW = 1, CAPPED = 2, NOT_COUNTABLE = 3,
  RESETTING = 4 }
local PAGE_OUTCOME = { NONE = 0, NEW = 1, RETURNING = 2, LIMIT = 3, NOT_COUNTED = 4 }
local FIRST_DEDUPE_KEY = 8

local countKey, requestLog, newVisitorLog, dayKey, channel, legacySeenKey, resettingKey =
  KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local dedupeTtlSeconds = tonumber(ARGV[1])
local requestBudget, requestWindowMillis = tonumber(ARGV[2]), tonumber(ARGV[3])
local newVisitorCap, newVisitorWindowMillis = tonumber(ARGV[4]), tonumber(ARGV[5])
local dayTtlSeconds, publishCommand = ARGV[6], ARGV[7]
local bucketFill, bucketCapacity = tonumber(ARGV[8]), tonumber(ARGV[9])
local countable, requestToken, visitorDigest, visitorMember = ARGV[10] == '1', ARGV[11], ARGV[12], ARGV[13]
local pagePath, pagesMax, maxCount = ARGV[14], tonumber(ARGV[15]), tonumber(ARGV[16])
local hasPage = pagePath ~= ''

-- The counter's dedupe sets take as many keys as the page's, which follow the key of the page counts.
local generationCount = (dedupeTtlSeconds > 0) and 2 or 1
local setKeys = (#KEYS - FIRST_DEDUPE_KEY + 1 - (hasPage and 1 or 0)) / (hasPage and 2 or 1)
local levels = setKeys / generationCount - 1
local pageCounts = KEYS[FIRST_DEDUPE_KEY + setKeys]

local storedCount = redis.call('GET', countKey)
if not storedCount then
  return { OUTCOME.UNKNOWN_COUNTER, 0, 0, 0 }
end
if redis.call('EXISTS', resettingKey) == 1 then
  return { OUTCOME.RESETTING, 0, 0, 0 }
end

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

-- A visitor seen today, new or returning, joins the day's uniques; the TTL is set whenever that changed the key,
-- which includes when it was made.
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

-- The page's count when this visit only reads it.
local function pageRead()
  if not hasPage then
    return PAGE_OUTCOME.NONE, 0
  end
  return PAGE_OUTCOME.NOT_COUNTED, tonumber(redis.call('ZSCORE', pageCounts, pagePath) or 0)
end

if not countable then
  return { OUTCOME.NOT_COUNTABLE, tonumber(storedCount), remaining, reset, pageRead() }
end

-- The dedupe sets. A generation's state: entries (visitors inserted), top (highest level holding any; -1 while
-- empty) and, with a TTL, number (now / TTL when it began) and expiresAt (ms; its keys all expire then).
-- Without a TTL there is no state while every visitor is in level 0: entries is then that one bucket's size,
-- which spares a small counter (and most pages) a key. The sets whose keys begin at KEYS[firstKey]:
local function generationsAt(firstKey)
  local generations = {}
  for index = 0, generationCount - 1 do
    local stateIndex = firstKey + index * (levels + 1)
    local state = redis.call('HMGET', KEYS[stateIndex], 'entries', 'top', 'number', 'expiresAt')
    local generation = { state = KEYS[stateIndex], firstBucket = stateIndex + 1, exists = state[1] ~= false,
      entries = tonumber(state[1]) or 0, top = tonumber(state[2]) or -1, number = tonumber(state[3]),
      expiresAt = tonumber(state[4]) }
    if not generation.exists and dedupeTtlSeconds == 0 then
      generation.entries = redis.call('SCARD', KEYS[stateIndex + 1])
      generation.top = (generation.entries > 0) and 0 or -1
    end
    generations[index + 1] = generation
  end
  return generations
end

local function bucket(generation, level)
  return KEYS[generation.firstBucket + level]
end

-- From the top level down: it holds the most visitors, so a returning visitor is found after about two checks.
local function holdsVisitor(generation)
  for level = generation.top, 0, -1 do
    if redis.call('SISMEMBER', bucket(generation, level), visitorMember) == 1 then
      return true
    end
  end
  return false
end

-- The level new visitors join: L while entries < bucketFill * (4^0 + ... + 4^L).
local function currentLevel(generation)
  local level, width, limit = 0, bucketFill, bucketFill
  while level < levels - 1 and generation.entries >= limit do
    level, width = level + 1, width * 4
    limit = limit + width
  end
  return level
end

-- The generation new visitors join: the one of the current period; else a free one, made the current period's,
-- expiring at the end of the next period; else, both held by earlier periods, the newer one. That happens only in
-- the millisecond at a period's start in which Redis, which checks expiry against the time the script started,
-- still holds the generation that expires then (TIME is read a little later), or after the TTL was changed.
local function currentGeneration(generations)
  if dedupeTtlSeconds == 0 then
    return generations[1]
  end
  local ttlMillis = dedupeTtlSeconds * 1000
  local number = math.floor(now / ttlMillis)
  for _, generation in ipairs(generations) do
    if generation.number == number then
      return generation
    end
  end
  for _, generation in ipairs(generations) do
    if not generation.exists then
      generation.number, generation.expiresAt = number, (number + 2) * ttlMillis - 1
      return generation
    end
  end
  local first, second = generations[1], generations[2]
  return ((first.expiresAt or 0) >= (second.expiresAt or 0)) and first or second
end

local function insert(generation)
  local level = currentLevel(generation)
  while level < levels - 1 and redis.call('SCARD', bucket(generation, level)) >= bucketCapacity do
    level = level + 1
  end
  redis.call('SADD', bucket(generation, level), visitorMember)
  if generation.exists then
    redis.call('HINCRBY', generation.state, 'entries', 1)
    if level > generation.top then
      redis.call('HSET', generation.state, 'top', level)
    end
  elseif level > 0 or generation.expiresAt then
    redis.call('HSET', generation.state, 'entries', generation.entries + 1, 'top', math.max(level, generation.top))
  end
  if generation.expiresAt then
    local expiresAt = string.format('%.0f', generation.expiresAt)
    redis.call('PEXPIREAT', bucket(generation, level), expiresAt)
    if not generation.exists then
      redis.call('HSET', generation.state, 'number', generation.number, 'expiresAt', expiresAt)
      redis.call('PEXPIREAT', generation.state, expiresAt)
    end
  end
end

local function holdsVisitorIn(generations)
  for _, generation in ipairs(generations) do
    if holdsVisitor(generation) then
      return true
    end
  end
  return false
end

-- Counted before: in the buckets, or still under its key of the earlier layout, which then moves into them.
local function counted(generations)
  if holdsVisitorIn(generations) then
    return true
  end
  if redis.call('EXISTS', legacySeenKey) == 1 then
    insert(currentGeneration(generations))
    redis.call('DEL', legacySeenKey)
    return true
  end
  return false
end

-- The visit to the page, for a visitor the counter counts: a page the counter does not hold yet is created with
-- this visitor, unless the counter holds pagesMax pages already.
local function pageVisit()
  if not hasPage then
    return PAGE_OUTCOME.NONE, 0
  end
  local stored = redis.call('ZSCORE', pageCounts, pagePath)
  if not stored and redis.call('ZCARD', pageCounts) >= pagesMax then
    return PAGE_OUTCOME.LIMIT, 0
  end
  local pageGenerations = generationsAt(FIRST_DEDUPE_KEY + setKeys + 1)
  if stored and holdsVisitorIn(pageGenerations) then
    return PAGE_OUTCOME.RETURNING, tonumber(stored)
  end
  insert(currentGeneration(pageGenerations))
  if tonumber(stored or 0) >= maxCount then
    return PAGE_OUTCOME.NEW, tonumber(stored)
  end
  return PAGE_OUTCOME.NEW, tonumber(redis.call('ZINCRBY', pageCounts, 1, pagePath))
end

local generations = generationsAt(FIRST_DEDUPE_KEY)
if counted(generations) then
  seenToday()
  return { OUTCOME.RETURNING, tonumber(storedCount), remaining, reset, pageVisit() }
end
if newVisitorCap > 0 and entries(newVisitorLog, newVisitorWindowMillis) >= newVisitorCap then
  return { OUTCOME.CAPPED, tonumber(storedCount), remaining, reset, pageRead() }
end
insert(currentGeneration(generations))
seenToday()
if newVisitorCap > 0 then
  redis.call('ZADD', newVisitorLog, now, requestToken)
  redis.call('PEXPIRE', newVisitorLog, newVisitorWindowMillis)
end
local total = tonumber(storedCount)
if total < maxCount then
  total = redis.call('INCR', countKey)
  redis.call(publishCommand, channel, total)
end
return { OUTCOME.NEW, total, remaining, reset, pageVisit() }
