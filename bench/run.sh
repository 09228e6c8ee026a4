#!/usr/bin/env bash
# bench/run.sh — HTTP throughput/latency of the app, optionally side by side with a second service (the
# Node.js reference peer).
#
# What it measures, per scenario and service: requests/s, p50 and p99 latency (wrk's), errors (HTTP >= 400
# plus socket errors), and the CPU share of the service process (and of Redis) during the run, from
# /proc/<pid>/stat utime+stime over wall time, in % of ONE core (the machine's maximum is 100 x cores).
#
# How:
#   1. starts a throwaway redis-server on a free port (no persistence), the app jar with the production JVM
#      flags from bench/jvm-flags (JDK from $JAVA), and, if PEER_DIR is given, the Node.js peer
#      (`node server.js`, COUNTER_MODE=setnx) on the same Redis (it uses different keys). PEER_URL instead
#      points at a service you started yourself (then its CPU is reported only if PEER_PID is given);
#   2. pre-registers a pool of POOL (1000) returning visitors in each service;
#   3. warms each service up with repeated WARMUP_SECONDS (5 s) wrk runs of the mix scenario until two
#      consecutive runs are within 5% of each other, after at least WARMUP_MIN (4) runs (a JVM that is still
#      compiling can look "stable" at a low rate for two runs), at most WARMUP_MAX (12) runs;
#   4. runs the scenarios REPEATS times (3), each DURATION seconds (10), interleaving the services (app then
#      peer on odd repeats, peer then app on even ones):
#        new        every POST a visitor never seen before
#        returning  every POST a visitor from the pre-registered pool (random)
#        get        GET /api/visitors
#        mix        80% returning, 10% new, 10% GET
#      wrk: WRK_THREADS (1) threads, WRK_CONNECTIONS (32) connections; load generator, Redis and the services
#      share the machine's cores;
#   Before the runs each service must answer a fresh id with 200 and "newVisitor":true (check_counting); in
#   "new" runs the count must grow by the number of completed requests (counted=...). The app is started with
#   its per-address rate limit and new-visitor cap off (all load comes from 127.0.0.1; BENCH_LIMITS=on keeps
#   them), and wrk sends a User-Agent (the app does not count visits without one).
#   5. prints one line per run (repeat=N ...), then one summary line per scenario and service with the
#      medians (errors summed) and, with a peer, the app/peer ratio; stops everything it started, by pid.
#
# Usage (from the repo root):
#   bench/run.sh [path/to/app.jar]          # default: target/visitor-counter-*.jar
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java PEER_DIR=/tmp/node-counter bench/run.sh
# A/B of two app configurations: B_JVM_FLAGS (replaces the flags), B_JAVA_EXTRA_FLAGS, B_APP_ENV ("K=V ...",
# e.g. MALLOC_ARENA_MAX=2), B_JAR, B_JAVA (another java, e.g. Java 17) start a second app "appb" on the same Redis, measured interleaved with "app"
# (and the peer); the summary adds appb/app ratios. rss_mb = VmRSS right after each run (summary: the max).
# syscalls_per_request and ctx_switches_per_request (lib.sh, run_wrk) count the kernel work per request that
# cpu_pct includes and a JFR profile does not show; unlike req/s they barely move between repeats.
# Env: JAVA, JVM_FLAGS (replaces bench/jvm-flags), JAVA_EXTRA_FLAGS (added to them), APP_ENV (extra
# "K=V K=V" environment for the app), PEER_DIR, PEER_URL, PEER_PID, PEER_MODE, SCENARIOS, DURATION, REPEATS,
# WARMUP_SECONDS, WARMUP_MAX, POOL, WRK_THREADS, WRK_CONNECTIONS.
# Output lines on stdout; progress on stderr (lines starting with '#').

source "$(dirname "$0")/lib.sh"

JAR=$(find_jar "${1:-}")
SCENARIOS=${SCENARIOS:-new returning get mix}
DURATION=${DURATION:-10}
REPEATS=${REPEATS:-3}
WARMUP_SECONDS=${WARMUP_SECONDS:-5}
WARMUP_MAX=${WARMUP_MAX:-12}
WARMUP_MIN=${WARMUP_MIN:-4}
POOL=${POOL:-1000}
RUN=r$(date +%s)$RANDOM

log "host busy before starting (should be ~0): $(host_busy_1s)%"
start_redis REDIS
export BENCH_REDIS_PID=$REDIS_PID
# shellcheck disable=SC2086
start_app APP "$JAR" "$REDIS_PORT" ${APP_ENV:-}
SERVICES=(app)
SVC_URL[0]=$APP_URL; SVC_PID[0]=$APP_PID
# A/B: a second app ("appb") with other JVM flags / env / jar, measured interleaved with the first.
if [ -n "${B_JVM_FLAGS:-}${B_JAVA_EXTRA_FLAGS:-}${B_APP_ENV:-}${B_JAR:-}${B_JAVA:-}" ]; then
	# shellcheck disable=SC2086
	JAVA="${B_JAVA:-$JAVA}" JVM_FLAGS="${B_JVM_FLAGS:-${JVM_FLAGS:-}}" JAVA_EXTRA_FLAGS="${B_JAVA_EXTRA_FLAGS:-}" \
		start_app APPB "${B_JAR:-$JAR}" "$REDIS_PORT" ${B_APP_ENV:-}
	SERVICES+=(appb); SVC_URL[1]=$APPB_URL; SVC_PID[1]=$APPB_PID
fi
if [ -n "${PEER_DIR:-}" ]; then
	start_peer PEER "$PEER_DIR" "$REDIS_PORT"
	SVC_URL[${#SERVICES[@]}]=$PEER_URL; SVC_PID[${#SERVICES[@]}]=$PEER_PID; SERVICES+=(peer)
elif [ -n "${PEER_URL:-}" ]; then
	SVC_URL[${#SERVICES[@]}]=$PEER_URL; SVC_PID[${#SERVICES[@]}]=${PEER_PID:--}; SERVICES+=(peer)
fi

for i in "${!SERVICES[@]}"; do
	pid=${SVC_PID[$i]}; [ "$pid" = - ] && pid=$$
	wait_ready "${SVC_URL[$i]}" "$pid" 120
	log "${SERVICES[$i]} ready at ${SVC_URL[$i]}"
	check_counting "${SVC_URL[$i]}" "${RUN}s$i"
	pre_register "${SVC_URL[$i]}" "$RUN" "$POOL"
done

for i in "${!SERVICES[@]}"; do
	prev=0
	for n in $(seq 1 "$WARMUP_MAX"); do
		line=$(run_wrk "${SVC_URL[$i]}" mix.lua "$WARMUP_SECONDS" "${SVC_PID[$i]}" \
			BENCH_PREFIX="${RUN}w${n}s$i" BENCH_POOL_PREFIX="$RUN" BENCH_POOL="$POOL")
		rps=$(field rps "$line")
		log "warm-up ${SERVICES[$i]} run $n: $line"
		if [ "$n" -ge "$WARMUP_MIN" ] && awk -v a="$prev" -v b="$rps" 'BEGIN { d = (a - b) / a; exit !(d < 0.05 && d > -0.05) }'; then
			break
		fi
		prev=$rps
	done
	echo "warmup service=${SERVICES[$i]} runs=$n last_rps=$rps"
done

log "host busy before the runs (other load on the machine skews results): $(host_busy_1s)%"
RESULTS="$BENCH_TMP/results"
: >"$RESULTS"
for r in $(seq 1 "$REPEATS"); do
	order=("${!SERVICES[@]}")
	if [ $((r % 2)) -eq 0 ]; then order=($(printf '%s\n' "${!SERVICES[@]}" | sort -rn)); fi
	if [ "${#SERVICES[@]}" -eq 3 ] && [ $((r % 3)) -eq 0 ]; then order=(1 2 0); fi
	for s in $SCENARIOS; do
		for i in "${order[@]}"; do
			before=$(count_of "${SVC_URL[$i]}")
			line=$(run_wrk "${SVC_URL[$i]}" "$s.lua" "$DURATION" "${SVC_PID[$i]}" \
				BENCH_PREFIX="${RUN}n${r}s$i" BENCH_POOL_PREFIX="$RUN" BENCH_POOL="$POOL")
			# Validity: in "new" every completed request must have been counted (the count grows by at least
			# the requests wrk completed; requests still in flight when wrk stops may add a few more).
			if [ "$s" = new ]; then
				counted=$(( $(count_of "${SVC_URL[$i]}") - before ))
				line="$line counted=$counted"
				[ "$counted" -ge "$(field requests "$line")" ] || log "WARNING: ${SERVICES[$i]} counted $counted of $(field requests "$line") new visitors"
			fi
			echo "repeat=$r scenario=$s service=${SERVICES[$i]} $line" | tee -a "$RESULTS"
		done
	done
done

echo "# summary: medians over $REPEATS repeats (errors: sum), wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d${DURATION}s, $(nproc) cores"
ratio() { # scenario a b
	local x y; x=$(grep " service=$2 " "$RESULTS.summary" | grep "^scenario=$1 "); y=$(grep " service=$3 " "$RESULTS.summary" | grep "^scenario=$1 ")
	echo "scenario=$1 ratio=$2/$3 rps=$(awk -v a="$(field rps "$x")" -v b="$(field rps "$y")" 'BEGIN { printf "%.2f", a / b }')" \
		"p99=$(awk -v a="$(field p99_ms "$x")" -v b="$(field p99_ms "$y")" 'BEGIN { printf "%.2f", a / b }')" \
		"cpu_per_request=$(awk -v a="$(field rps "$x")" -v b="$(field rps "$y")" -v ca="$(field cpu_pct "$x")" -v cb="$(field cpu_pct "$y")" 'BEGIN { if (cb > 0 && a > 0) printf "%.2f", (ca / a) / (cb / b); else print "NA" }')" \
		"rss=$(awk -v a="$(field rss_mb "$x")" -v b="$(field rss_mb "$y")" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "NA" }')"
}
for s in $SCENARIOS; do
	for svc in "${SERVICES[@]}"; do
		sel() { grep " scenario=$s service=$svc " "$RESULTS" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }'; }
		echo "scenario=$s service=$svc rps=$(sel rps | median) p50_ms=$(sel p50_ms | median)" \
			"p99_ms=$(sel p99_ms | median) errors=$(sel errors | awk '{ s += $1 } END { print s + 0 }')" \
			"cpu_pct=$(sel cpu_pct | median) redis_cpu_pct=$(sel redis_cpu_pct | median) rss_mb=$(sel rss_mb | sort -g | tail -1)" \
			"rss_anon_mb=$(sel rss_anon_mb | sort -g | tail -1) syscalls_per_request=$(sel syscalls_per_request | median)" \
			"ctx_switches_per_request=$(sel ctx_switches_per_request | median)"
	done | tee -a "$RESULTS.summary"
	for svc in app appb; do
		[[ " ${SERVICES[*]} " == *" peer "* && " ${SERVICES[*]} " == *" $svc "* ]] && ratio "$s" "$svc" peer
	done
	[[ " ${SERVICES[*]} " == *" appb "* ]] && ratio "$s" appb app
done
exit 0
