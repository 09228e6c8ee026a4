#!/usr/bin/env bash
# bench/large-answers.sh — an ordinary client's latency while 1,000 clients ask for a large answer and never read.
#
# What: CLIENTS (1000) connections, each from its own loopback address, ask at once for PATH (Swagger UI's 1.5 MB
# script) with a 4 KiB receive window and (mode noread) never read the answer, or (mode read) read it, then keep
# their connections for HOLD_SECONDS (40); meanwhile an ordinary client sends a GET and a POST in turn, 15 a
# second, each on a new connection (5 s timeout). Prints the ordinary requests' count, failures (not 200, or no
# answer in 5 s) and p50/p99/max over the whole attack, its first 10 s (burst) and the rest (held), the app's
# thread count near the end, and what the large-answer clients got (200: written to them; 503: refused as busy).
# The read mode is the yardstick: what the same requests cost when their clients read.
# How: a throwaway redis-server and the app jar (bench/jvm-flags, $JAVA, limits off as in run.sh), warmed up
# with wrk's mix, then bench/large-answers.py (Python 3). B_JAR measures a second jar the same way after the
# first (e.g. the jar before the large-answer places), REPEATS (1) times each, interleaved.
# Usage (repo root): [CLIENTS=1000] [HOLD_SECONDS=40] [MODES="noread read"] [PATH_ASKED=/v3/api-docs] [B_JAR=other.jar] bench/large-answers.sh [app.jar]

source "$(dirname "$0")/lib.sh"

JAR=$(find_jar "${1:-}")
CLIENTS=${CLIENTS:-1000}
HOLD_SECONDS=${HOLD_SECONDS:-40}
MODES=${MODES:-noread read}
PATH_ASKED=${PATH_ASKED:-/swagger-ui/swagger-ui-bundle.js}
REPEATS=${REPEATS:-1}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

start_redis REDIS
JARS=(app); JAR_PATHS=("$JAR")
[ -n "${B_JAR:-}" ] && { JARS+=(appb); JAR_PATHS+=("$(find_jar "$B_JAR")"); }

for r in $(seq 1 "$REPEATS"); do
	for mode in $MODES; do
		for j in "${!JARS[@]}"; do
			# shellcheck disable=SC2086
			start_app APP "${JAR_PATHS[$j]}" "$REDIS_PORT" ${APP_ENV:-}
			wait_ready "$APP_URL" "$APP_PID" 120
			log "${JARS[$j]} ready at $APP_URL (${JAR_PATHS[$j]}); host busy: $(host_busy_1s)%"
			log "warm-up: $(run_wrk "$APP_URL" mix.lua "$WARMUP_SECONDS" "$APP_PID" BENCH_PREFIX="w$j$RANDOM" \
				BENCH_POOL_PREFIX="w$j$RANDOM" BENCH_POOL=100)"
			( sleep "$((HOLD_SECONDS - 2))"; awk '/^Threads/ {print $2}' "/proc/$APP_PID/status" >"$BENCH_TMP/threads" ) &
			counter_pid=$!
			python3 "$BENCH_DIR/large-answers.py" "$APP_PORT" "$CLIENTS" "$HOLD_SECONDS" "$mode" "$PATH_ASKED" |
				sed "s/^/jar=${JARS[$j]} repeat=$r /"
			wait "$counter_pid"
			echo "jar=${JARS[$j]} repeat=$r mode=$mode app_threads_near_end=$(cat "$BENCH_TMP/threads")"
			stop_pid "$APP_PID"
		done
	done
done
