-- Scenario "get": every request is get_request() from common.lua.
dofile(os.getenv("BENCH_DIR") .. "/wrk/common.lua")
function init(args) bench_init() end
request = get_request
