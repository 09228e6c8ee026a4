#!/usr/bin/env bash
# bench/redis-commands.sh — Redis commands per HTTP request, app vs the Node.js peer.
#
# What: for each service and each request kind (new visitor POST, returning visitor POST, GET count; for the app
# also stats reads of 1, 30 and 365 days, each of a different counter so that none shares another's answer) it
# sends exactly N (1000) sequential requests with curl and reports, per request:
#   wire      commands the service sent over the network (EVALSHA, SET, INCR, GET ...), from MONITOR lines
#             whose source is the client connection;
#   in_script commands run inside Lua scripts (MONITOR lines with source "lua");
#   total     every command Redis counted in INFO commandstats (Redis counts the commands a script runs too,
#             so one EVALSHA doing SET+INCR is 3 there), with the breakdown.
# How: a throwaway redis-server on a free port, the app jar (bench/jvm-flags, $JAVA) and, if PEER_DIR is
# given, the peer (COUNTER_MODE=setnx) on the same Redis; CONFIG RESETSTAT and a MONITOR capture around each
# batch. Everything started is stopped by pid on exit.
# Usage (repo root): [JAVA=...] [PEER_DIR=/tmp/node-counter] [N=1000] bench/redis-commands.sh [app.jar]
# Output: one line per service and kind, e.g.
#   service=app kind=new requests=1000 wire_per_request=1.00 in_script_per_request=2.00 total_per_request=3.00 commandstats=evalsha:1000,set:1000,incr:1000

source "$(dirname "$0")/lib.sh"

JAR=$(find_jar "${1:-}")
N=${N:-1000}
RUN=c$(date +%s)$RANDOM

start_redis REDIS
start_app APP "$JAR" "$REDIS_PORT"
NAMES=(app); URLS=("$APP_URL"); PIDS=("$APP_PID")
if [ -n "${PEER_DIR:-}" ]; then
	start_peer PEER "$PEER_DIR" "$REDIS_PORT"
	NAMES+=(peer); URLS+=("$PEER_URL"); PIDS+=("$PEER_PID")
fi

# curl config for N requests of a kind: new | returning | get | stats1 | stats30 | stats365
requests_cfg() {
	local url=$1 kind=$2 prefix=$3
	awk -v url="$url" -v kind="$kind" -v p="$prefix" -v n="$N" 'BEGIN {
		for (i = 0; i < n; i++) {
			if (i > 0) print "next"
			if (kind ~ /^stats/) {
				printf "url = \"%s/api/visitors/%s-%d/stats?days=%s\"\noutput = \"/dev/null\"\nfail\n", url, p, i, substr(kind, 6)
				continue
			}
			printf "url = \"%s/api/visitors\"\noutput = \"/dev/null\"\nfail\n", url
			if (kind == "get") continue
			id = (kind == "new") ? sprintf("%s-new-%010d", p, i) : sprintf("%s-pool-%010d", p, i % 100)
			printf "header = \"Content-Type: application/json\"\ndata = \"{\\\"visitorId\\\":\\\"%s\\\"}\"\n", id
		}
	}'
}

for i in "${!NAMES[@]}"; do
	wait_ready "${URLS[$i]}" "${PIDS[$i]}" 120
	pre_register "${URLS[$i]}" "$RUN" 100
	kinds=(new returning get)
	[ "${NAMES[$i]}" = app ] && kinds+=(stats1 stats30 stats365)
	for kind in "${kinds[@]}"; do
		requests_cfg "${URLS[$i]}" "$kind" "$RUN" >"$BENCH_TMP/req.curl"
		rcli "$REDIS_PORT" config resetstat >/dev/null
		stdbuf -oL redis-cli -p "$REDIS_PORT" monitor >"$BENCH_TMP/monitor.txt" &
		mon=$!; BENCH_PIDS+=("$mon")
		sleep 0.3
		curl -s -K "$BENCH_TMP/req.curl" --max-time 120
		sleep 0.5
		stop_pid "$mon"
		stats=$(rcli "$REDIS_PORT" info commandstats | tr -d '\r' | grep '^cmdstat_' |
			grep -v -E '^cmdstat_(info|config\||monitor)' | sed 's/^cmdstat_\([^:]*\):calls=\([0-9]*\),.*/\1:\2/')
		total=$(awk -F: '{ s += $2 } END { print s + 0 }' <<<"$stats")
		wire=$(grep -c -v -E '^OK$| \[[0-9]+ lua\] ' "$BENCH_TMP/monitor.txt" || true)
		lua=$(grep -c -E ' \[[0-9]+ lua\] ' "$BENCH_TMP/monitor.txt" || true)
		awk -v s="${NAMES[$i]}" -v k="$kind" -v n="$N" -v w="$wire" -v l="$lua" -v t="$total" -v b="$(paste -sd, <<<"$stats")" \
			'BEGIN { printf "service=%s kind=%s requests=%d wire_per_request=%.2f in_script_per_request=%.2f total_per_request=%.2f commandstats=%s\n", s, k, n, w / n, l / n, t / n, b }'
	done
done
