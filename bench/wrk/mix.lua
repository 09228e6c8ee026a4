-- Scenario "mix": 80% returning visitors, 10% new visitors, 10% GET count (random per request, seeded per thread).
dofile(os.getenv("BENCH_DIR") .. "/wrk/common.lua")
function init(args) bench_init() end
function request()
  local r = math.random(100)
  if r <= 80 then return returning_request() end
  if r <= 90 then return new_request() end
  return get_request()
end
