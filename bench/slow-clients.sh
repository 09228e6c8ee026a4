#!/usr/bin/env bash
# bench/slow-clients.sh — an ordinary client's latency while 1,000 slow clients trickle their requests.
#
# What: for each mode (body: POSTs whose 4 KiB body comes a byte every 2 s; headers: GETs whose headers come a
# header line's byte every 2 s), an ordinary client (one kept-alive HTTP/1.1 connection, GET and POST in turn,
# 5 s timeout each) is measured for BEFORE_SECONDS (5) alone, then while SLOW (1000) connections from 127.0.0.2
# trickle ("trickling": until 1 s before the first of them is due to be ended), then while the server ends them
# ("ending"). Per phase: requests, failures (not 200, or no answer in 5 s), p50, p99 and max latency, the p99 of
# GETs and of POSTs. Then how the slow requests ended: answered 408, other answers, closed unanswered, the
# longest, and how many the server never ended (the driver gives up 20 s after their deadline).
# How: a throwaway redis-server, the app jar (bench/jvm-flags, $JAVA, limits off as in run.sh; the slow clients
# come from one address), warmed up with wrk's mix for WARMUP_SECONDS (20), and SlowClientLoad (bench/slow-clients/), which drives the slow connections with the
# test suite's SlowClients over one selector: it runs on the test classes, so build them first
# (./mvnw -o -q test-compile). B_JAR measures a second jar the same way after the first (e.g. the jar before the
# slow-client protection, to see what it protects against). Each mode REPEATS (1) times.
# Usage (repo root): [JAVA=...] [SLOW=1000] [MODES="body headers"] [REPEATS=1] [B_JAR=other.jar] bench/slow-clients.sh [app.jar]
# Output: per jar, mode and repeat, lines such as
#   jar=app mode=body repeat=1 phase=trickling requests=2212 failures=0 p50_ms=1.9 p99_ms=9.8 max_ms=40.1 get_p99_ms=6.2 post_p99_ms=11.0
#   jar=app mode=body repeat=1 slow mode=body clients=1000 open_when_measured=1000 ended=1000 answered_408=1000 ...

source "$(dirname "$0")/lib.sh"

JAR=$(find_jar "${1:-}")
SLOW=${SLOW:-1000}
MODES=${MODES:-body headers}
REPEATS=${REPEATS:-1}
BEFORE_SECONDS=${BEFORE_SECONDS:-5}
WARMUP_SECONDS=${WARMUP_SECONDS:-20}
READ_TIMEOUT_SECONDS=10
TEST_CLASSES="$REPO_ROOT/target/test-classes"
[ -f "$TEST_CLASSES/io/github/visitorcounter/web/SlowClients.class" ] ||
	{ echo "no test classes: run ./mvnw -o -q test-compile first" >&2; exit 2; }
JAVAC=${JAVAC:-$(dirname "$(readlink -f "$(command -v "$JAVA")")")/javac}
"$JAVAC" -d "$BENCH_TMP/classes" -cp "$TEST_CLASSES" "$BENCH_DIR/slow-clients/SlowClientLoad.java"
# 1,000 slow connections plus the server's side of them, in one process tree each.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

start_redis REDIS
JARS=(app); JAR_PATHS=("$JAR")
[ -n "${B_JAR:-}" ] && { JARS+=(appb); JAR_PATHS+=("$(find_jar "$B_JAR")"); }

for j in "${!JARS[@]}"; do
	# shellcheck disable=SC2086
	start_app APP "${JAR_PATHS[$j]}" "$REDIS_PORT" VISITORS_REQUEST_READ_TIMEOUT=${READ_TIMEOUT_SECONDS}s ${APP_ENV:-}
	wait_ready "$APP_URL" "$APP_PID" 120
	log "${JARS[$j]} ready at $APP_URL (${JAR_PATHS[$j]}); host busy: $(host_busy_1s)%"
	# Compiled code, not the interpreter: wrk's mix for WARMUP_SECONDS first.
	log "warm-up: $(run_wrk "$APP_URL" mix.lua "$WARMUP_SECONDS" "$APP_PID" BENCH_PREFIX="w$j$RANDOM" \
		BENCH_POOL_PREFIX="w$j$RANDOM" BENCH_POOL=100)"
	for r in $(seq 1 "$REPEATS"); do
		for mode in $MODES; do
			"$JAVA" -cp "$BENCH_TMP/classes:$TEST_CLASSES" io.github.visitorcounter.web.SlowClientLoad \
				"$APP_PORT" "$mode" "$SLOW" "$READ_TIMEOUT_SECONDS" "$BEFORE_SECONDS" |
				sed "s/^/jar=${JARS[$j]} mode=$mode repeat=$r /"
			# Let the server close what is left before the next mode.
			sleep 3
		done
	done
	stop_pid "$APP_PID"
done
