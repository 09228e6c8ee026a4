-- Scenario "returning": every request is returning_request() from common.lua.
dofile(os.getenv("BENCH_DIR") .. "/wrk/common.lua")
function init(args) bench_init() end
request = returning_request
