#!/usr/bin/env bash
# bench/redis-memory.sh — Redis memory per unique visitor, for each key layout.
#
# What: used_memory (INFO memory) per distinct visitor after VISITORS (200,000) distinct visitors, for
#   app          the app's layout, no dedupe TTL: visitors:{default}:seen:<22-char digest> = "1" per visitor
#   app-ttl30d   the same with VISITORS_DEDUPE_TTL=30d (each key also carries an expire)
#   peer         the Node.js peer's layout (only with PEER_DIR): visitors:id:<raw id> = "1" per visitor
# How: for each layout a fresh throwaway redis-server on a free port and a fresh service; after the service
# answered its first POST the baseline used_memory is read (empty data set + script cache + client buffers);
# then wrk posts ids cycling over exactly VISITORS distinct valid ids (bench/wrk/new.lua with BENCH_DISTINCT)
# in 15 s runs until the service counts them all; then INFO memory again:
#   per_visitor_bytes = (used_memory - baseline) / VISITORS
# Also printed: DBSIZE, used_memory_dataset delta, and MEMORY USAGE of one visitor key.
# With IDEAS=1 it also loads VISITORS synthetic entries directly in Redis (EVAL, no HTTP) for alternative
# layouts listed in BENCHMARKS.md (binary digest keys, bucketed listpack hashes, HyperLogLog).
# Usage (repo root): [JAVA=...] [PEER_DIR=/tmp/node-counter] [VISITORS=200000] [IDEAS=1] bench/redis-memory.sh [app.jar]

source "$(dirname "$0")/lib.sh"

JAR=$(find_jar "${1:-}")
VISITORS=${VISITORS:-200000}
export WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
LAYOUTS="app app-ttl30d"
[ -n "${PEER_DIR:-}" ] && LAYOUTS="$LAYOUTS peer"

report() { # layout port baseline baseline_dataset sample_key
	local used dataset dbsize sample
	used=$(info_field "$2" memory used_memory); dataset=$(info_field "$2" memory used_memory_dataset)
	dbsize=$(rcli "$2" dbsize); sample=$(rcli "$2" memory usage "$5" samples 0)
	awk -v l="$1" -v u="$used" -v b="$3" -v d="$dataset" -v bd="$4" -v n="$VISITORS" -v k="$dbsize" -v s="$sample" \
		'BEGIN { printf "layout=%s visitors=%d keys=%d per_visitor_bytes=%.1f dataset_per_visitor_bytes=%.1f used_memory_mb=%.1f memory_usage_one_key=%s\n", l, n, k, (u - b) / n, (d - bd) / n, u / 1048576, s }'
}

for layout in $LAYOUTS; do
	start_redis R
	case $layout in
		app) start_app SVC "$JAR" "$R_PORT" ;;
		app-ttl30d) start_app SVC "$JAR" "$R_PORT" VISITORS_DEDUPE_TTL=30d ;;
		peer) start_peer SVC "$PEER_DIR" "$R_PORT" ;;
	esac
	wait_ready "$SVC_URL" "$SVC_PID" 120
	base=$(info_field "$R_PORT" memory used_memory); base_ds=$(info_field "$R_PORT" memory used_memory_dataset)
	prefix=m$RANDOM$RANDOM offset=0
	for run in $(seq 1 12); do
		line=$(run_wrk "$SVC_URL" new.lua 15 "$SVC_PID" BENCH_PREFIX="$prefix" BENCH_DISTINCT="$VISITORS" BENCH_OFFSET="$offset")
		offset=$((offset + $(field requests "$line") - WRK_CONNECTIONS)); [ "$offset" -ge 0 ] || offset=0
		count=$(count_of "$SVC_URL")
		log "$layout load run $run: count=$count $line"
		[ "${count:-0}" -gt "$VISITORS" ] && break # + 1 for the readiness probe
	done
	[ "${count:-0}" -gt "$VISITORS" ] || { echo "layout=$layout did not reach $VISITORS visitors (count=$count)" >&2; exit 1; }
	sample=$(rcli "$R_PORT" scan 0 match '*:seen:*' count 1000 | sed -n 2p)
	[ -n "$sample" ] || sample=$(rcli "$R_PORT" scan 0 match '*:id:*' count 1000 | sed -n 2p)
	stop_pid "$SVC_PID" # no more client buffers from the service
	report "$layout" "$R_PORT" "$base" "$base_ds" "$sample"
	stop_pid "$R_PID"
done

[ -n "${IDEAS:-}" ] || exit 0

# Alternative layouts, filled directly by a Lua loop (chunks of 20,000) in a fresh Redis each.
idea() { # name lua-body-using-i
	start_redis R
	rcli "$R_PORT" set 'v:{default}:count' 0 >/dev/null
	base=$(info_field "$R_PORT" memory used_memory); base_ds=$(info_field "$R_PORT" memory used_memory_dataset)
	local from=0
	while [ "$from" -lt "$VISITORS" ]; do
		rcli "$R_PORT" eval "for i = tonumber(ARGV[1]), tonumber(ARGV[2]) - 1 do local d = redis.sha1hex('visitor-' .. i); $2 end return 1" 0 \
			"$from" "$(( from + 20000 < VISITORS ? from + 20000 : VISITORS ))" >/dev/null
		from=$((from + 20000))
	done
	report "$1" "$R_PORT" "$base" "$base_ds" "$(rcli "$R_PORT" randomkey)"
	stop_pid "$R_PID"
}
# hex -> binary for the first n bytes of the hex digest d
HEX2BIN="local function bin(h, n) local t = {} for j = 1, 2 * n, 2 do t[#t + 1] = string.char(tonumber(string.sub(h, j, j + 1), 16)) end return table.concat(t) end"
idea idea-key-22char-short-prefix "redis.call('SET', 'v:{default}:' .. string.sub(d, 1, 22), '1')"
idea idea-key-16byte-binary "$HEX2BIN redis.call('SET', 'v:{default}:' .. bin(d, 16), '1')"
idea idea-key-16byte-binary-ttl30d "$HEX2BIN redis.call('SET', 'v:{default}:' .. bin(d, 16), '1', 'EX', 2592000)"
idea idea-hash-4096buckets-16byte "$HEX2BIN redis.call('HSET', 'v:{default}:s:' .. string.sub(d, 1, 3), bin(string.sub(d, 4), 16), '')"
idea idea-hash-4096buckets-8byte "$HEX2BIN redis.call('HSET', 'v:{default}:s:' .. string.sub(d, 1, 3), bin(string.sub(d, 4), 8), '')"
idea idea-hyperloglog "redis.call('PFADD', 'v:{default}:hll', d)"
