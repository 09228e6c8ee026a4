#!/usr/bin/env bash
# bench/redis-memory.sh — Redis memory per unique visitor, for each key layout and audience size.
#
# What: used_memory (INFO memory) per distinct visitor, one line per case:
#   app           one counter, no dedupe TTL, at each size in VISITORS (10,000, 100,000 and 1,000,000)
#   app-ttl30d    the same with VISITORS_DEDUPE_TTL=30d
#   app-counters, app-counters-ttl30d
#                 the worst case for a layout that shares keys between a counter's visitors: COUNTERS
#                 (10,000) counters with PER_COUNTER (1) visitor each, every counter paying for its own keys
#   app-pages     a site with pages (docs/pages.md): PAGES (1,000) pages of the counter "site" and PAGE_VISITORS
#                 (100,000) visitors who read PAGES_PER_VISITOR (5) pages each, so 500,000 page visits; reported
#                 per page visit: per_page_visit_bytes counts all memory (the site's keys too),
#                 pages_per_page_visit_bytes the MEMORY USAGE of the page keys alone
#   peer          the Node.js peer's layout (only with PEER_DIR): visitors:id:<raw id> = "1" per visitor
# How: for each case a fresh throwaway redis-server on a free port and a fresh service; after the service
# answered its first POST the baseline used_memory is read (empty data set + script cache + client buffers);
# then wrk posts ids cycling over exactly the case's distinct valid ids (bench/wrk/new.lua with BENCH_DISTINCT,
# and BENCH_PER_COUNTER for the counters cases) in 15 s runs until the service counts them all; the service is
# stopped (no more client buffers) and INFO memory read again:
#   per_visitor_bytes = (used_memory - baseline) / visitors
# SLOWLOG RESET before each reading: on a busy machine script calls over 10 ms land in the slow log, up to 128
# entries with all their arguments (hundreds of KB that are no data set).
# Also printed: DBSIZE, the used_memory_dataset delta, MEMORY USAGE of one dedupe key and, for the dedupe sets
# (visitors:{<counter>}:v*:*), how many buckets there are, how many are intsets, the largest one's size and the
# highest level in use; the bucket figures are read after the memory figures (they cache a script).
# With IDEAS=1 it also loads VISITORS_IDEAS (200,000) synthetic entries directly in Redis (EVAL, no HTTP) for
# alternative layouts (binary digest keys, bucketed listpack hashes, intset buckets, HyperLogLog).
# Usage (repo root): [JAVA=...] [PEER_DIR=/tmp/node-counter] [VISITORS="10000 100000 1000000"] [COUNTERS=10000]
#   [PER_COUNTER=1] [PAGES=1000] [PAGE_VISITORS=100000] [PAGES_PER_VISITOR=5]
#   [CASES="app app-ttl30d app-counters app-counters-ttl30d app-pages"] [IDEAS=1] bench/redis-memory.sh [app.jar]

source "$(dirname "$0")/lib.sh"

JAR=$(find_jar "${1:-}")
VISITORS=${VISITORS:-10000 100000 1000000}
COUNTERS=${COUNTERS:-10000}
PER_COUNTER=${PER_COUNTER:-1}
PAGES=${PAGES:-1000}
PAGE_VISITORS=${PAGE_VISITORS:-100000}
PAGES_PER_VISITOR=${PAGES_PER_VISITOR:-5}
CASES=${CASES:-app app-ttl30d app-counters app-counters-ttl30d app-pages}
[ -n "${PEER_DIR:-}" ] && CASES="$CASES peer"
export WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}

# Bucket figures of the dedupe sets: "buckets=N intset=N max_bucket=N top_level=N".
BUCKET_STATS='local buckets, intsets, largest, top, cursor = 0, 0, 0, -1, "0"
repeat
  local page = redis.call("SCAN", cursor, "MATCH", ARGV[1], "COUNT", 1000)
  cursor = page[1]
  for _, key in ipairs(page[2]) do
    local level = string.match(key, ":v%d?:(%d+):%d+$")
    if level and redis.call("TYPE", key).ok == "set" then
      buckets = buckets + 1
      if redis.call("OBJECT", "ENCODING", key) == "intset" then intsets = intsets + 1 end
      largest = math.max(largest, redis.call("SCARD", key))
      top = math.max(top, tonumber(level))
    end
  end
until cursor == "0"
return string.format("buckets=%d intset=%d max_bucket=%d top_level=%d", buckets, intsets, largest, top)'

# used_memory and used_memory_dataset, after emptying the slow log.
memory() { # port
	rcli "$1" slowlog reset >/dev/null
	echo "$(info_field "$1" memory used_memory) $(info_field "$1" memory used_memory_dataset)"
}

report() { # case port baseline baseline_dataset visitors counters
	local used dataset dbsize sample buckets
	rcli "$2" slowlog reset >/dev/null
	used=$(info_field "$2" memory used_memory); dataset=$(info_field "$2" memory used_memory_dataset)
	dbsize=$(rcli "$2" dbsize)
	sample=$(rcli "$2" --scan --pattern '*:v*:*:*' | awk 'NR == 1')
	[ -n "$sample" ] || sample=$(rcli "$2" --scan --pattern '*:seen:*' | awk 'NR == 1')
	[ -n "$sample" ] || sample=$(rcli "$2" --scan --pattern '*:id:*' | awk 'NR == 1')
	sample=$(rcli "$2" memory usage "$sample" samples 0)
	buckets=$(rcli "$2" eval "$BUCKET_STATS" 0 '*:v*:*:*')
	awk -v c="$1" -v u="$used" -v b="$3" -v d="$dataset" -v bd="$4" -v n="$5" -v k="$dbsize" -v s="$sample" -v cs="$6" -v bk="$buckets" \
		'BEGIN { printf "case=%s visitors=%d counters=%d keys=%d per_visitor_bytes=%.1f dataset_per_visitor_bytes=%.1f used_memory_mb=%.1f memory_usage_one_dedupe_key=%s %s\n", c, n, cs, k, (u - b) / n, (d - bd) / n, u / 1048576, s, bk }'
}

# Every page's count of the site, summed, and its pages' keys' MEMORY USAGE, summed: "page_visits bytes keys".
PAGE_STATS='local visits, bytes, keys, cursor = 0, 0, 0, "0"
local counts = redis.call("ZRANGE", KEYS[1], 0, -1, "WITHSCORES")
for i = 2, #counts, 2 do visits = visits + tonumber(counts[i]) end
repeat
  local page = redis.call("SCAN", cursor, "MATCH", ARGV[1], "COUNT", 1000)
  cursor = page[1]
  for _, key in ipairs(page[2]) do
    bytes = bytes + redis.call("MEMORY", "USAGE", key, "SAMPLES", 0)
    keys = keys + 1
  end
until cursor == "0"
return string.format("%d %d %d", visits, bytes + redis.call("MEMORY", "USAGE", KEYS[1], "SAMPLES", 0), keys + 1)'

# The visitors counted so far: the one counter's count, or for the counters cases every counter's, from Redis;
# for the pages case, the page visits counted.
counted() { # case url redis-port
	case $1 in
		app-pages) rcli "$3" eval "$PAGE_STATS" 1 'visitors:{site}:pages' 'visitors:{site}:page:*' | awk '{ print $1 }' ;;
		app-counters*) rcli "$3" --scan --pattern '*:{*}:count' | xargs -r redis-cli -p "$3" mget | awk '{ n += $1 } END { print n + 0 }' ;;
		*) count_of "$2" ;;
	esac
}

measure() { # case visitors
	local case=$1 visitors=$2 counters=1 env=() per_counter=0
	case $case in
		*-ttl30d) env+=(VISITORS_DEDUPE_TTL=30d) ;;
	esac
	local target=$visitors wrk_env=()
	case $case in
		app-counters*) per_counter=$PER_COUNTER; counters=$((visitors / PER_COUNTER)) ;;
		app-pages) target=$((visitors * PAGES_PER_VISITOR - 1)); wrk_env=(BENCH_PAGES="$PAGES" BENCH_PAGES_PER_VISITOR="$PAGES_PER_VISITOR") ;;
	esac
	start_redis R
	case $case in
		peer) start_peer SVC "$PEER_DIR" "$R_PORT" ;;
		*) start_app SVC "$JAR" "$R_PORT" "${env[@]}" ;;
	esac
	wait_ready "$SVC_URL" "$SVC_PID" 120
	local base base_ds prefix=m$RANDOM$RANDOM offset=0 count=0 line
	read -r base base_ds < <(memory "$R_PORT")
	for run in $(seq 1 60); do
		line=$(run_wrk "$SVC_URL" new.lua 15 "$SVC_PID" BENCH_PREFIX="$prefix" BENCH_DISTINCT="$visitors" \
			BENCH_OFFSET="$offset" BENCH_PER_COUNTER="$per_counter" "${wrk_env[@]}")
		offset=$((offset + $(field requests "$line") - WRK_CONNECTIONS)); [ "$offset" -ge 0 ] || offset=0
		count=$(counted "$case" "$SVC_URL" "$R_PORT")
		log "$case load run $run: count=$count $line"
		[ "$(field requests "$line")" -gt 0 ] || { echo "case=$case: wrk sent nothing" >&2; exit 1; }
		[ "${count:-0}" -gt "$target" ] && break # + 1 for the readiness probe, or - 1 in $target
	done
	[ "${count:-0}" -gt "$target" ] || { echo "case=$case did not reach $target (count=$count)" >&2; exit 1; }
	stop_pid "$SVC_PID" # no more client buffers from the service
	report "$case" "$R_PORT" "$base" "$base_ds" "$visitors" "$counters"
	[ "$case" != app-pages ] || report_pages "$R_PORT" "$base"
	stop_pid "$R_PID"
}

# The pages case per page visit: all memory, and the page keys alone (the site's keys apart).
report_pages() { # port baseline
	local used stats site_count; rcli "$1" slowlog reset >/dev/null
	used=$(info_field "$1" memory used_memory)
	stats=$(rcli "$1" eval "$PAGE_STATS" 1 'visitors:{site}:pages' 'visitors:{site}:page:*')
	site_count=$(rcli "$1" get 'visitors:{site}:count')
	awk -v u="$used" -v b="$2" -v s="$stats" -v site="$site_count" -v p="$PAGES" \
		'BEGIN { split(s, a, " "); printf "case=app-pages pages=%d site_visitors=%d page_visits=%d per_page_visit_bytes=%.1f pages_keys=%d pages_memory_usage_bytes=%d pages_per_page_visit_bytes=%.1f\n", p, site, a[1], (u - b) / a[1], a[3], a[2], a[2] / a[1] }'
}

for case in $CASES; do
	case $case in
		app-counters*) measure "$case" $((COUNTERS * PER_COUNTER)) ;;
		app-pages) measure "$case" "$PAGE_VISITORS" ;;
		*) for visitors in $VISITORS; do measure "$case" "$visitors"; done ;;
	esac
done

[ -n "${IDEAS:-}" ] || exit 0

# Alternative layouts, filled directly by a Lua loop (chunks of 20,000) in a fresh Redis each.
VISITORS=${VISITORS_IDEAS:-200000}
idea() { # name lua-body-using-i
	start_redis R
	rcli "$R_PORT" set 'v:{default}:count' 0 >/dev/null
	read -r base base_ds < <(memory "$R_PORT")
	local from=0
	while [ "$from" -lt "$VISITORS" ]; do
		rcli "$R_PORT" eval "for i = tonumber(ARGV[1]), tonumber(ARGV[2]) - 1 do local d = redis.sha1hex('visitor-' .. i); $2 end return 1" 0 \
			"$from" "$(( from + 20000 < VISITORS ? from + 20000 : VISITORS ))" >/dev/null
		from=$((from + 20000))
	done
	report "$1" "$R_PORT" "$base" "$base_ds" "$VISITORS" 1
	stop_pid "$R_PID"
}
# hex -> binary for the first n bytes of the hex digest d
HEX2BIN="local function bin(h, n) local t = {} for j = 1, 2 * n, 2 do t[#t + 1] = string.char(tonumber(string.sub(h, j, j + 1), 16)) end return table.concat(t) end"
# a 19-digit decimal integer below 2^63 from the hex digest d: a 64-bit intset member, as the app's are
INT64="local function int64(h) return '1' .. string.format('%09d%09d', tonumber(string.sub(h, 1, 7), 16) % 1e9, tonumber(string.sub(h, 8, 14), 16) % 1e9) end"
idea idea-key-22char-short-prefix "redis.call('SET', 'v:{default}:' .. string.sub(d, 1, 22), '1')"
idea idea-key-16byte-binary "$HEX2BIN redis.call('SET', 'v:{default}:' .. bin(d, 16), '1')"
idea idea-key-16byte-binary-ttl30d "$HEX2BIN redis.call('SET', 'v:{default}:' .. bin(d, 16), '1', 'EX', 2592000)"
idea idea-hash-4096buckets-16byte "$HEX2BIN redis.call('HSET', 'v:{default}:s:' .. string.sub(d, 1, 3), bin(string.sub(d, 4), 16), '')"
idea idea-hash-4096buckets-8byte "$HEX2BIN redis.call('HSET', 'v:{default}:s:' .. string.sub(d, 1, 3), bin(string.sub(d, 4), 8), '')"
idea idea-intset-1024buckets-64bit "$INT64 redis.call('SADD', 'v:{default}:v:5:' .. tonumber(string.sub(d, 15, 17), 16) % 1024, int64(d))"
idea idea-hyperloglog "redis.call('PFADD', 'v:{default}:hll', d)"
