#!/usr/bin/env bash
# bench/profile-startup.sh — where a cold start's time goes, from the JVM's launch to the first successful POST.
#
# How: a throwaway redis-server on a free port; the app jar with bench/jvm-flags and JAVA_EXTRA_FLAGS (e.g. Spring
# AOT and an AOT cache, as bench/startup.sh takes them); POST is polled every ~20 ms as in startup.sh. Once one
# succeeds, it prints:
#   first    first_post_ms, and Spring Boot's spring_s / process_s (context started / JVM age then)
#   jvm      the JVM's own counters (jcmd PerfCounter.print): ms to create the VM, classes loaded from the AOT
#            cache / CDS archive and from jars, ms in class loading, linking and static initialisers (these
#            nest), ms the JIT compilers spent compiling, ms at safepoints
#   cpu      the process's CPU ms against the wall ms (2 cores give at most 2000 CPU ms per wall second), then
#            the CPU ms of each live thread group (main, the JIT's compiler threads, GC, Tomcat, Lettuce, ...)
# JFR=1 also records the start with JFR (settings=profile, deep stacks) and prints the Java CPU samples by
# framework layer and by activity (bench/jfr-layers.py --activities); the recording stays at $JFR_FILE (default
# /tmp/visitor-counter-startup.jfr). JFR adds the jdk.jfr module, and an AOT cache trained without it is refused
# (the JVM then starts without the cache): train one with JAVA_EXTRA_FLAGS="... --add-modules jdk.jfr" for that.
# JFR also slows the start by itself: read first_post_ms from a run without it. REPEATS (1) cold starts.
# Usage (repo root): JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java [JAVA_EXTRA_FLAGS=...] [JFR=1] \
#   bench/profile-startup.sh [app.jar]

source "$(dirname "$0")/lib.sh"

JAR=$(find_jar "${1:-}")
REPEATS=${REPEATS:-1}
JFR_FILE=${JFR_FILE:-/tmp/visitor-counter-startup.jfr}
JDK_BIN=$(dirname "$(readlink -f "$(command -v "$JAVA")")")

# perf_ms COUNTERS NAME...: the sum of PerfCounters in high-resolution ticks, as ms.
perf_ms() {
	local file=$1; shift
	awk -F= -v ks=" $* " '$1 == "sun.os.hrt.frequency" { f = $2 } index(ks, " " $1 " ") { v += $2 }
		END { printf "%.0f", v * 1000 / f }' "$file"
}
perf_value() { awk -F= -v k="$2" '$1 == k { print $2 }' "$1"; }

# thread_cpu PID: CPU ms per thread group of the live threads (names without their numbers), largest first.
thread_cpu() {
	local task comm
	for task in /proc/"$1"/task/*; do
		comm=$(sed -E 's/[-#][0-9]+//g' "$task/comm" 2>/dev/null) || continue
		awk -v c="$comm" -v tck="$CLK_TCK" '{ sub(/^.*\) /, ""); printf "%s\t%d\n", c, ($12 + $13) * 1000 / tck }' "$task/stat" 2>/dev/null || true
	done | awk -F'\t' '{ ms[$1] += $2; n[$1]++ }
		END { for (t in ms) if (ms[t] > 0) printf "cpu_thread name=\"%s\" threads=%d cpu_ms=%d\n", t, n[t], ms[t] }' |
		sort -t= -k4 -nr
}

start_redis REDIS
log "host busy before starting: $(host_busy_1s)%; $(uptime)"
for run in $(seq 1 "$REPEATS"); do
	extra=${JAVA_EXTRA_FLAGS:-}
	if [ -n "${JFR:-}" ]; then
		rm -f "$JFR_FILE"
		# Deep stacks: JFR keeps 64 frames by default, too few below Spring's bean factory.
		extra="$extra -XX:FlightRecorderOptions=stackdepth=1024 -XX:StartFlightRecording=name=startup,settings=profile"
	fi
	JAVA_EXTRA_FLAGS=$extra start_app APP "$JAR" "$REDIS_PORT"
	wait_ready "$APP_URL" "$APP_PID" 120
	first=$(( $(now_ms) - APP_START_MS ))
	cpu_ms=$(( $(cpu_ticks "$APP_PID") * 1000 / CLK_TCK ))
	threads=$(thread_cpu "$APP_PID")
	counters="$BENCH_TMP/perf-counters.txt"
	"$JDK_BIN/jcmd" "$APP_PID" PerfCounter.print | tr -d '"' >"$counters"
	if [ -n "${JFR:-}" ]; then "$JDK_BIN/jcmd" "$APP_PID" JFR.stop name=startup filename="$JFR_FILE" >/dev/null; fi
	spring=$(spring_started "$BENCH_TMP/APP.log")
	stop_pid "$APP_PID"
	echo "first run=$run first_post_ms=$first$spring"
	# createVm* are wall-clock ms, the other times high-resolution ticks.
	echo "jvm run=$run vm_create_ms=$(( $(perf_value "$counters" sun.rt.createVmEndTime) - $(perf_value "$counters" sun.rt.createVmBeginTime) ))" \
		"classes_from_cache=$(perf_value "$counters" java.cls.sharedLoadedClasses)" \
		"classes_from_jars=$(perf_value "$counters" java.cls.loadedClasses)" \
		"class_load_ms=$(perf_ms "$counters" sun.cls.time)" \
		"class_link_ms=$(perf_ms "$counters" sun.cls.classLinkedTime)" \
		"class_init_ms=$(perf_ms "$counters" sun.cls.classInitTime)" \
		"jit_compile_ms=$(perf_ms "$counters" sun.ci.standardTime sun.ci.osrTime)" \
		"safepoint_ms=$(perf_ms "$counters" sun.rt.safepointTime)"
	echo "cpu run=$run process_cpu_ms=$cpu_ms wall_ms=$first"
	echo "$threads" | head -12
	if [ -n "${JFR:-}" ]; then python3 "$BENCH_DIR/jfr-layers.py" --activities "$JFR_FILE" "$JDK_BIN/jfr" 3 || true; fi
done
