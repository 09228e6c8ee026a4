-- Scenario "new": every request is new_request() from common.lua.
dofile(os.getenv("BENCH_DIR") .. "/wrk/common.lua")
function init(args) bench_init() end
request = new_request
