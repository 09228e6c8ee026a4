#!/usr/bin/env bash
# bench/startup.sh — cold start: time to the first successful POST, and time until throughput reaches 90% of
# its steady state.
#
# What, per cold start (REPEATS, default 3):
#   first_post_ms   from launching the process (timestamp taken just before the fork) to the first POST
#                   answered 200; curl polls every ~20 ms
#   t90_s           from launching the process to the end of the first 1 s wrk window (new-visitor POSTs,
#                   wrk -t$WRK_THREADS -c$WRK_CONNECTIONS) whose throughput is >= 90% of the steady state
#   t90_sustained_s the same, but that window and the two following ones are all >= 90%
#   steady_rps      median of the last 10 windows of the RAMP_SECONDS (60) ramp
#   spring_s, process_s  (app only) Spring Boot's "Started ... in <spring_s> seconds (process running for
#                   <process_s>)": the application context's start, and the JVM's age at that moment
# How: one throwaway redis-server on a free port; for each repeat the app jar is started from scratch
# (bench/jvm-flags, $JAVA, plus JAVA_EXTRA_FLAGS, e.g. an AOT cache or CDS archive to compare), polled, then
# loaded with back-to-back 1 s wrk runs starting right after the first POST; the app is stopped by pid before
# the next repeat. With PEER_DIR the Node.js peer is measured the same way. RAMP_DETAIL=1 prints every window.
# A/B: B_JAVA, B_JVM_FLAGS, B_JAVA_EXTRA_FLAGS (e.g. -XX:AOTCache=target/aot/app.aot), B_APP_ENV, B_JAR (e.g. the
# extracted jar from bench/aot-train.sh) add a second app configuration "appb", cold-started interleaved with
# "app" (and the peer): order app, appb, peer on odd runs, reversed on even ones. C_JAVA, C_JVM_FLAGS,
# C_JAVA_EXTRA_FLAGS, C_APP_ENV, C_JAR add a third, "appc", after appb. IMAGE (e.g. one built from the
# Dockerfile) adds the packaged image, started with $CONTAINER_CLI (docker) and CONTAINER_RUN_OPTS (lib.sh,
# start_image), in the same rotation.
# Usage (repo root): [JAVA=...] [JAVA_EXTRA_FLAGS=...] [PEER_DIR=/tmp/node-counter] bench/startup.sh [app.jar]

source "$(dirname "$0")/lib.sh"

JAR=$(find_jar "${1:-}")
REPEATS=${REPEATS:-3}
RAMP_SECONDS=${RAMP_SECONDS:-60}

start_redis REDIS

cold_start() { # name run
	local name=$1 run=$2 url pid start first series="$BENCH_TMP/ramp-$1-$2.txt"
	case $name in
	app) start_app SVC "$JAR" "$REDIS_PORT" ;;
	image) start_image SVC "$IMAGE" "$REDIS_PORT" ;;
	# shellcheck disable=SC2086
	appb) JAVA="${B_JAVA:-$JAVA}" JVM_FLAGS="${B_JVM_FLAGS:-${JVM_FLAGS:-}}" JAVA_EXTRA_FLAGS="${B_JAVA_EXTRA_FLAGS:-}" \
		start_app SVC "${B_JAR:-$JAR}" "$REDIS_PORT" ${B_APP_ENV:-} ;;
	*) start_peer SVC "$PEER_DIR" "$REDIS_PORT" ;;
	esac
	url=$SVC_URL; pid=$SVC_PID; start=$SVC_START_MS
	wait_ready "$url" "$pid" 120
	first=$(( $(now_ms) - start ))
	: >"$series"
	local deadline=$(( $(now_ms) + RAMP_SECONDS * 1000 )) w=0
	while [ "$(now_ms)" -lt "$deadline" ]; do
		w=$((w + 1))
		line=$(run_wrk "$url" new.lua 1 "$pid" BENCH_PREFIX="u${RANDOM}x$w")
		echo "$(( $(now_ms) - start )) $(field rps "$line")" >>"$series"
	done
	stop_pid "$pid"
	# Spring Boot's own account of its start: context ready after spring_s, process running for process_s.
	local spring=""
	[ "$name" != peer ] && spring=$(spring_started "$BENCH_TMP/SVC.log")
	[ -n "${RAMP_DETAIL:-}" ] && awk -v s="$name" -v r="$run" '{ printf "ramp service=%s run=%d t_ms=%d rps=%d\n", s, r, $1, $2 }' "$series"
	local steady; steady=$(tail -10 "$series" | awk '{ print $2 }' | median)
	awk -v s="$name" -v r="$run" -v f="$first" -v st="$steady" -v sp="$spring" '
		{ t[NR] = $1; v[NR] = $2 }
		END {
			for (i = 1; i <= NR; i++) if (v[i] >= 0.9 * st) { t90 = t[i]; break }
			for (i = 1; i + 2 <= NR; i++) if (v[i] >= 0.9 * st && v[i + 1] >= 0.9 * st && v[i + 2] >= 0.9 * st) { t90s = t[i]; break }
			printf "service=%s run=%d first_post_ms=%d t90_s=%.1f t90_sustained_s=%.1f steady_rps=%.0f%s\n", s, r, f, t90 / 1000, t90s / 1000, st, sp
		}' "$series"
}

SERVICES=(app)
[ -n "${B_JVM_FLAGS:-}${B_JAVA_EXTRA_FLAGS:-}${B_APP_ENV:-}${B_JAR:-}${B_JAVA:-}" ] && SERVICES+=(appb)
[ -n "${C_JVM_FLAGS:-}${C_JAVA_EXTRA_FLAGS:-}${C_APP_ENV:-}${C_JAR:-}${C_JAVA:-}" ] && SERVICES+=(appc)
[ -n "${IMAGE:-}" ] && SERVICES+=(image)
[ -n "${PEER_DIR:-}" ] && SERVICES+=(peer)
log "host busy before starting: $(host_busy_1s)%; $(uptime)"
for run in $(seq 1 "$REPEATS"); do
	order=("${SERVICES[@]}")
	# interleaved: reversed order on even runs
	[ $((run % 2)) -eq 0 ] && order=($(printf '%s\n' "${SERVICES[@]}" | tac))
	for svc in "${order[@]}"; do cold_start "$svc" "$run"; done
done
exit 0
