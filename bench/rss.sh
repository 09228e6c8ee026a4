#!/usr/bin/env bash
# bench/rss.sh — resident memory of the app (and of the peer with PEER_DIR) at idle and under load.
#
# What: VmRSS from /proc/<pid>/status
#   rss_idle_mb        IDLE_SECONDS (5) after the first successful POST, no load
#   rss_load_max_mb    highest VmRSS sampled every second during LOAD_SECONDS (60) of the mix scenario
#                      (80% returning / 10% new / 10% GET, wrk -t$WRK_THREADS -c$WRK_CONNECTIONS)
#   rss_after_mb       5 s after the load stopped
#   hwm_mb             VmHWM, the peak RSS of the process's lifetime
# How: a throwaway redis-server on a free port, the app jar with bench/jvm-flags (JDK from $JAVA; override
# with JVM_FLAGS / JAVA_EXTRA_FLAGS), the peer from PEER_DIR; everything stopped by pid on exit.
# With NMT=1 the app runs with -XX:NativeMemoryTracking=summary (which itself costs a few MB) and the
# committed memory of each JVM area is printed after the load (`jcmd VM.native_memory summary`).
# Usage (repo root): [JAVA=...] [PEER_DIR=/tmp/node-counter] [NMT=1] bench/rss.sh [app.jar]

source "$(dirname "$0")/lib.sh"

JAR=$(find_jar "${1:-}")
IDLE_SECONDS=${IDLE_SECONDS:-5}
LOAD_SECONDS=${LOAD_SECONDS:-60}
POOL=${POOL:-1000}

vm() { awk -v k="$2:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

measure() { # name url pid
	local name=$1 url=$2 pid=$3 prefix=s$RANDOM$RANDOM idle max after line
	wait_ready "$url" "$pid" 120
	pre_register "$url" "$prefix" "$POOL"
	sleep "$IDLE_SECONDS"
	idle=$(vm "$pid" VmRSS)
	(for _ in $(seq 1 $((LOAD_SECONDS + 10))); do vm "$pid" VmRSS; echo; sleep 1; done) >"$BENCH_TMP/rss-$name.txt" &
	local sampler=$!; BENCH_PIDS+=("$sampler")
	line=$(run_wrk "$url" mix.lua "$LOAD_SECONDS" "$pid" BENCH_PREFIX="$prefix" BENCH_POOL_PREFIX="$prefix" BENCH_POOL="$POOL")
	stop_pid "$sampler"
	max=$(sort -g "$BENCH_TMP/rss-$name.txt" | tail -1)
	sleep 5
	after=$(vm "$pid" VmRSS)
	echo "service=$name rss_idle_mb=$idle rss_load_max_mb=$max rss_after_mb=$after hwm_mb=$(vm "$pid" VmHWM) load: $line"
	if [ "$name" = app ] && [ -n "${NMT:-}" ]; then
		# Committed memory per JVM area, right after the load.
		"$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd" "$pid" VM.native_memory summary scale=KB |
			sed -nE -e 's/^(Total): reserved=[0-9]+KB, committed=([0-9]+)KB.*/\1|\2/p' \
				-e 's/^- *([A-Z][A-Za-z .]+[a-z]) *\(reserved=[0-9]+KB, committed=([0-9]+)KB[,)].*/\1|\2/p' |
			awk -F'|' '{ gsub(/ +$/, "", $1); gsub(/ /, "_", $1); printf "nmt area=%s committed_mb=%.1f\n", $1, $2 / 1024 }'
	fi
}

start_redis REDIS
[ -n "${NMT:-}" ] && JAVA_EXTRA_FLAGS="${JAVA_EXTRA_FLAGS:-} -XX:NativeMemoryTracking=summary"
start_app APP "$JAR" "$REDIS_PORT"
measure app "$APP_URL" "$APP_PID"
stop_pid "$APP_PID"
if [ -n "${PEER_DIR:-}" ]; then
	start_peer PEER "$PEER_DIR" "$REDIS_PORT"
	measure peer "$PEER_URL" "$PEER_PID"
fi
