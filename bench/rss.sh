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
# A/B: B_JAVA, B_JVM_FLAGS, B_JAVA_EXTRA_FLAGS, B_APP_ENV, B_JAR add a second app configuration "appb" (as in
# startup.sh); IMAGE adds the packaged image (started by $CONTAINER_CLI with CONTAINER_RUN_OPTS, lib.sh
# start_image; its JVM's pid is read from the container runtime). With REPEATS (1) the services are measured
# one after the other, each on a fresh start, in the order app, appb, image, peer on odd repeats, reversed on even
# ones. README's run command: JVM_FLAGS with the flags it gives (JVM_FLAGS=" " for none).
# Usage (repo root): [JAVA=...] [PEER_DIR=/tmp/node-counter] [NMT=1] bench/rss.sh [app.jar]

source "$(dirname "$0")/lib.sh"

JAR=$(find_jar "${1:-}")
IDLE_SECONDS=${IDLE_SECONDS:-5}
LOAD_SECONDS=${LOAD_SECONDS:-60}
POOL=${POOL:-1000}
REPEATS=${REPEATS:-1}

vm() { awk -v k="$2:" '$1 == k { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

measure() { # name url pid run
	local name=$1 url=$2 pid=$3 run=$4 prefix=s$RANDOM$RANDOM idle max after line
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
	echo "service=$name run=$run rss_idle_mb=$idle rss_load_max_mb=$max rss_after_mb=$after hwm_mb=$(vm "$pid" VmHWM) load: $line"
	if [ "$name" != peer ] && [ "$name" != image ] && [ -n "${NMT:-}" ]; then
		# Committed memory per JVM area, right after the load.
		"$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd" "$pid" VM.native_memory summary scale=KB |
			sed -nE -e 's/^(Total): reserved=[0-9]+KB, committed=([0-9]+)KB.*/\1|\2/p' \
				-e 's/^- *([A-Z][A-Za-z .]+[a-z]) *\(reserved=[0-9]+KB, committed=([0-9]+)KB[,)].*/\1|\2/p' |
			awk -F'|' -v s="$name" -v r="$run" '{ gsub(/ +$/, "", $1); gsub(/ /, "_", $1); printf "nmt service=%s run=%s area=%s committed_mb=%.1f\n", s, r, $1, $2 / 1024 }'
	fi
}

# The JVM's pid inside a container started by start_image (the CLI's pid is not the JVM's).
container_jvm_pid() {
	local pid=""
	for _ in $(seq 1 200); do
		pid=$("$CONTAINER_CLI" inspect --format '{{.State.Pid}}' "${BENCH_CONTAINERS[-1]}" 2>/dev/null || true)
		[ -n "$pid" ] && [ "$pid" != 0 ] && { echo "$pid"; return; }
		sleep 0.05
	done
	echo "no pid for container ${BENCH_CONTAINERS[-1]}" >&2; exit 1
}

start_redis REDIS
[ -n "${NMT:-}" ] && JAVA_EXTRA_FLAGS="${JAVA_EXTRA_FLAGS:-} -XX:NativeMemoryTracking=summary"
SERVICES=(app)
[ -n "${B_JVM_FLAGS:-}${B_JAVA_EXTRA_FLAGS:-}${B_APP_ENV:-}${B_JAR:-}${B_JAVA:-}" ] && SERVICES+=(appb)
[ -n "${IMAGE:-}" ] && SERVICES+=(image)
[ -n "${PEER_DIR:-}" ] && SERVICES+=(peer)
for run in $(seq 1 "$REPEATS"); do
	order=("${SERVICES[@]}")
	[ $((run % 2)) -eq 0 ] && order=($(printf '%s\n' "${SERVICES[@]}" | tac))
	for svc in "${order[@]}"; do
		case $svc in
		app) start_app SVC "$JAR" "$REDIS_PORT" ;;
		# shellcheck disable=SC2086
		appb) JAVA="${B_JAVA:-$JAVA}" JVM_FLAGS="${B_JVM_FLAGS:-${JVM_FLAGS:-}}" \
			JAVA_EXTRA_FLAGS="${B_JAVA_EXTRA_FLAGS:-}${NMT:+ -XX:NativeMemoryTracking=summary}" \
			start_app SVC "${B_JAR:-$JAR}" "$REDIS_PORT" ${B_APP_ENV:-} ;;
		image) start_image SVC "$IMAGE" "$REDIS_PORT" ;;
		peer) start_peer SVC "$PEER_DIR" "$REDIS_PORT" ;;
		esac
		pid=$SVC_PID
		[ "$svc" = image ] && pid=$(container_jvm_pid)
		measure "$svc" "$SVC_URL" "$pid" "$run"
		stop_pid "$SVC_PID"
	done
done
