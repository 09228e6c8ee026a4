-- Shared by the wrk scenario scripts (loaded with dofile from $BENCH_DIR/wrk/common.lua).
-- Ids always satisfy the API validation: 16-128 characters of [A-Za-z0-9_-].
--   BENCH_PREFIX       prefix of fresh ids, unique per run so "new" visitors are really new (letters/digits)
--   BENCH_POOL_PREFIX  prefix of the returning-visitor pool (pre-registered by the driver)
--   BENCH_POOL         pool size (default 1000)
--   BENCH_DISTINCT     if set, "new" ids cycle over exactly this many distinct ids (memory benchmark),
--   BENCH_OFFSET       starting at this index (so that consecutive runs continue where the last one stopped)
--   BENCH_PER_COUNTER  if set (with BENCH_DISTINCT), id number i goes to the counter w-<i / BENCH_PER_COUNTER>
--                      instead of the script's path, so that many counters get this many visitors each
--   BENCH_PAGES        if set (with BENCH_DISTINCT), each of the distinct visitors reads BENCH_PAGES_PER_VISITOR
--                      (default 5) different pages out of this many of the counter "site", through
--                      POST <path>/site/pages: request number i is visitor i / per-visitor's page i % per-visitor
local prefix = os.getenv("BENCH_PREFIX") or "run"
local pool_prefix = os.getenv("BENCH_POOL_PREFIX") or "pool"
local pool_size = tonumber(os.getenv("BENCH_POOL") or "1000")
local distinct = tonumber(os.getenv("BENCH_DISTINCT") or "0")
local offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
local per_counter = tonumber(os.getenv("BENCH_PER_COUNTER") or "0")
local threads = tonumber(os.getenv("BENCH_THREADS") or "1")
local pages = tonumber(os.getenv("BENCH_PAGES") or "0")
local pages_per_visitor = tonumber(os.getenv("BENCH_PAGES_PER_VISITOR") or "5")
local counter = 0
local thread_index = 0
-- A User-Agent on every request: the app does not count visits without one (bot filter), so wrk's default
-- (no User-Agent header at all) would measure the "not counted" path. "wrk" matches no crawler fragment.
wrk.headers["User-Agent"] = "wrk"
local json = { ["Content-Type"] = "application/json", ["User-Agent"] = "wrk" }
local plain = { ["User-Agent"] = "wrk" }

local thread_no = 0
function setup(thread)
  thread:set("tid", thread_no)
  thread_no = thread_no + 1
end

function bench_init()
  thread_index = tid or 0
  math.randomseed(1234 + thread_index)
end

local function body(id)
  return '{"visitorId":"' .. id .. '"}'
end

-- Visitor v's k-th page: 199 is prime to 1,000, so a visitor's pages are distinct while per-visitor < 6 (of 1,000).
local function page_request(index)
  local visitor, k = math.floor(index / pages_per_visitor) % distinct, index % pages_per_visitor
  local page = (visitor * 7 + k * 199) % pages
  return wrk.format("POST", wrk.path .. "/site/pages", json, string.format(
    '{"visitorId":"%s-visitor-%010d","path":"/posts/%d"}', prefix, visitor, page))
end

-- A visitor never seen before (or, with BENCH_DISTINCT, one of a fixed set of distinct ids).
function new_request()
  counter = counter + 1
  if distinct > 0 and pages > 0 then
    return page_request((offset + (counter - 1) * threads + thread_index) % (distinct * pages_per_visitor))
  end
  local id, path = nil, wrk.path
  if distinct > 0 then
    local index = (offset + (counter - 1) * threads + thread_index) % distinct
    id = string.format("%s-visitor-%010d", prefix, index)
    if per_counter > 0 then
      path = string.format("%s/w-%d", wrk.path, math.floor(index / per_counter))
    end
  else
    id = string.format("%s-t%02d-%012d", prefix, thread_index, counter)
  end
  return wrk.format("POST", path, json, body(id))
end

-- A visitor from the pre-registered pool (same format as pool_id in bench/lib.sh).
function returning_request()
  local id = string.format("%s-pool-%010d", pool_prefix, math.random(0, pool_size - 1))
  return wrk.format("POST", wrk.path, json, body(id))
end

function get_request()
  return wrk.format("GET", wrk.path, plain)
end

-- One machine-readable line; errors = HTTP status >= 400 plus socket errors (connect/read/write/timeout).
function done(summary, latency, requests)
  local e = summary.errors
  local sock = e.connect + e.read + e.write + e.timeout
  io.write(string.format(
    "WRK rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d requests=%d non2xx=%d socket_errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, e.status + sock, summary.requests, e.status, sock))
end
