#!/usr/bin/env bash
# bench/aot-training.sh — the AOT cache's training run on real requests, as the image build runs it (Dockerfile)
# and as bench/image-local.sh repeats it outside a container.
#
# What: starts a throwaway redis-server (no persistence) and the app once with -XX:AOTCacheOutput=CACHE, sends it
# ROUNDS (1000) rounds of requests from CLIENTS (2) concurrent clients, each round one keep-alive connection with
# the requests a page view makes (POST a new visitor, POST a returning one, GET the count), the health probe and
# a bad POST (the 400 problem answer; last, as Tomcat closes the connection after a 400), then stops it with SIGTERM: the JVM writes the cache on exit, with
# the classes it loaded and linked and (JEP 515) the method profiles of the request path, so that a later start
# compiles that path sooner. Fails unless at least 95% of the answers that should be 200 were, and the cache was
# written.
# Only bash and redis-server are needed (no curl in the image): requests go through bash's /dev/tcp, pipelined
# on one connection per round, the last one with "Connection: close".
# The JVM flags come from JAVA_TOOL_OPTIONS (the image's ENV), so training and run use the same ones.
# Usage: bench/aot-training.sh CACHE JAR   (e.g. app.aot application.jar in the image's /app)
# Env: JAVA (java), REDIS_SERVER (redis-server), ROUNDS, CLIENTS.

set -euo pipefail

CACHE=$1
JAR=$2
JAVA=${JAVA:-java}
REDIS_SERVER=${REDIS_SERVER:-redis-server}
ROUNDS=${ROUNDS:-1000}
CLIENTS=${CLIENTS:-2}
WORK=$(mktemp -d)
PIDS=()

cleanup() {
	local pid
	for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT

# A port nothing listens on, below the ephemeral range.
free_port() {
	local p
	for _ in $(seq 1 100); do
		p=$((20000 + RANDOM % 10000))
		(exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return; }
	done
	echo "no free port" >&2
	exit 1
}

redis_port=$(free_port)
"$REDIS_SERVER" --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$WORK" >"$WORK/redis.log" 2>&1 &
PIDS+=($!)
app_port=$(free_port)
# The per-address limits off: all training requests come from one address and would otherwise train the 429 path.
REDIS_URL=redis://127.0.0.1:$redis_port SERVER_PORT=$app_port VISITORS_RATE_LIMIT_ENABLED=false \
	VISITORS_NEW_VISITOR_CAP_ENABLED=false VISITORS_READ_LIMIT_ENABLED=false \
	"$JAVA" -XX:AOTCacheOutput="$CACHE" -jar "$JAR" >"$WORK/app.log" 2>&1 &
app=$!
PIDS+=("$app")

post() { # id [connection]
	local body="{\"visitorId\":\"$1\"}"
	printf 'POST /api/visitors HTTP/1.1\r\nHost: localhost\r\nUser-Agent: aot-training\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: %s\r\n\r\n%s' \
		"${#body}" "${2:-keep-alive}" "$body"
}
get() { # path [connection]
	printf 'GET %s HTTP/1.1\r\nHost: localhost\r\nUser-Agent: aot-training\r\nConnection: %s\r\n\r\n' "$1" "${2:-keep-alive}"
}

# round CLIENT N: one connection, one page view's requests, prints each answer's status (the answers follow each
# other without a line break: a body ends without one).
round() {
	local id
	id=$(printf 'training-%d-%08d' "$1" "$2")
	exec 3<>"/dev/tcp/127.0.0.1/$app_port"
	{
		post "$id-new"
		post "training-returning-$(($2 % 50))"
		get /api/visitors
		get /actuator/health
		post "bad id!" close
	} >&3
	grep -ao 'HTTP/1.1 [0-9]*' <&3 || true
	exec 3<&-
}

ready=""
for _ in $(seq 1 600); do
	kill -0 "$app" 2>/dev/null || break
	if (exec 3<>"/dev/tcp/127.0.0.1/$app_port" && post training-ready-probe close >&3 && grep -aq '^HTTP/1.1 200' <&3) 2>/dev/null; then
		ready=yes
		break
	fi
	sleep 0.1
done
[ -n "$ready" ] || { echo "the app did not answer a POST; its log:" >&2; tail -40 "$WORK/app.log" >&2; exit 1; }

for client in $(seq 1 "$CLIENTS"); do
	(for n in $(seq 1 "$ROUNDS"); do round "$client" "$n"; done) >"$WORK/client-$client.txt" &
	PIDS+=($!)
done
wait "${PIDS[@]:2}"
# Per round four answers 200 (two POSTs, the GET, health) and one 400 (the bad id).
expected=$((CLIENTS * ROUNDS * 4))
ok=$(cat "$WORK"/client-*.txt | awk '$2 == 200' | wc -l)
echo "aot training: $ok of $expected answers 200, $(cat "$WORK"/client-*.txt | awk '$2 == 400' | wc -l) answers 400 ($((CLIENTS * ROUNDS)) rounds, $CLIENTS clients)"
kill "$app"
wait "$app" || true
[ "$ok" -ge $((expected * 95 / 100)) ] || { echo "too few answers 200; the app's log:" >&2; tail -40 "$WORK/app.log" >&2; exit 1; }
[ -s "$CACHE" ] || { echo "no cache written; the app's log:" >&2; tail -40 "$WORK/app.log" >&2; exit 1; }
echo "aot cache: $CACHE, $(($(stat -c %s "$CACHE") / 1048576)) MB"
