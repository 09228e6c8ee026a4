#!/usr/bin/env bash
# bench/profile.sh — JFR profile of the app under POST load (new visitors), after a warm-up.
#
# How: a throwaway redis-server on a free port and the app jar with bench/jvm-flags on $JAVA (JDK 21+ for
# `jfr view`); WARMUP_SECONDS (60) of new-visitor POSTs with wrk, then `jcmd <pid> JFR.start settings=profile
# duration=PROFILE_SECONDS` (30) while the same load runs; then prints `jfr summary` and the JFR views
# hot-methods, allocation-by-class, allocation-by-site, gc and the thread-level CPU (thread-cpu-load), then the CPU
# by framework layer (bench/jfr-layers.py; deep stacks are recorded for it), and keeps the recording at
# $JFR_FILE (default /tmp/visitor-counter.jfr). SCENARIO=returning|mix|get profiles another scenario. Before the
# views: the heap allocated per request during the profiled run (the app's jvm_gc_memory_allocated_bytes_total,
# which grows at each GC: exact to about one young generation over the run).
# Usage (repo root): JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/profile.sh [app.jar]

source "$(dirname "$0")/lib.sh"

JAR=$(find_jar "${1:-}")
WARMUP_SECONDS=${WARMUP_SECONDS:-60}
PROFILE_SECONDS=${PROFILE_SECONDS:-30}
SCENARIO=${SCENARIO:-new}
JFR_FILE=${JFR_FILE:-/tmp/visitor-counter.jfr}
JDK_BIN=$(dirname "$(readlink -f "$(command -v "$JAVA")")")
POOL=1000
RUN=p$RANDOM$RANDOM

# allocated_bytes URL: the heap the JVM has allocated so far, from the app's own metric (counted at each GC).
allocated_bytes() {
	curl -s --max-time 5 "$1/actuator/prometheus" | awk '$1 == "jvm_gc_memory_allocated_bytes_total" { print $2 }'
}

start_redis REDIS
export BENCH_REDIS_PID=$REDIS_PID
# Deep stacks: JFR keeps 64 frames by default, too few for a request through Tomcat and Spring MVC.
JAVA_EXTRA_FLAGS="${JAVA_EXTRA_FLAGS:-} -XX:FlightRecorderOptions=stackdepth=1024" start_app APP "$JAR" "$REDIS_PORT"
wait_ready "$APP_URL" "$APP_PID" 120
pre_register "$APP_URL" "$RUN" "$POOL"
echo "warmup $(run_wrk "$APP_URL" "$SCENARIO.lua" "$WARMUP_SECONDS" "$APP_PID" BENCH_PREFIX="${RUN}w" BENCH_POOL_PREFIX="$RUN")"
rm -f "$JFR_FILE"
allocated_before=$(allocated_bytes "$APP_URL")
"$JDK_BIN/jcmd" "$APP_PID" JFR.start name=bench settings=profile duration="${PROFILE_SECONDS}s" filename="$JFR_FILE" >&2
profiled=$(run_wrk "$APP_URL" "$SCENARIO.lua" "$PROFILE_SECONDS" "$APP_PID" BENCH_PREFIX="${RUN}p" BENCH_POOL_PREFIX="$RUN")
echo "profiled $profiled"
awk -v a="$allocated_before" -v b="$(allocated_bytes "$APP_URL")" -v n="$(field requests "$profiled")" \
	'BEGIN { printf "allocation bytes_per_request=%.0f requests=%d\n", (n > 0 ? (b - a) / n : 0), n }'
for _ in $(seq 1 50); do [ -s "$JFR_FILE" ] && break; sleep 0.2; done
sleep 1
"$JDK_BIN/jfr" summary "$JFR_FILE"
for view in hot-methods allocation-by-class allocation-by-site gc thread-cpu-load; do
	"$JDK_BIN/jfr" view --width 200 "$view" "$JFR_FILE" || true
done
# CPU by framework layer (each sample charged to its innermost non-JDK frame).
python3 "$BENCH_DIR/jfr-layers.py" "$JFR_FILE" "$JDK_BIN/jfr" 5 || true
