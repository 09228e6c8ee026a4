#!/usr/bin/env bash
# bench/stream-heap.sh — heap held per open idle live stream, and by what.
#
# What: the live heap (all objects reachable after a full GC: the Total of `jcmd GC.class_histogram`) before
# and while STREAMS (1000) idle event streams are open, and once they are closed again:
#   per_stream_kib = (live heap with the streams open - live heap before) / STREAMS
# then the classes whose live bytes grew most, per stream: where that heap goes. Connection buffers are heap
# objects here (Tomcat's are heap ByteBuffers), so they are counted; the kernel's socket buffers are not heap.
# How: a throwaway redis-server, the app jar with bench/jvm-flags (override with JVM_FLAGS / JAVA_EXTRA_FLAGS) and
# caps raised above STREAMS, then bench/stream-clients.py (Python 3, asyncio) opens the streams from 127.0.0.1,
# each waits for its first event, and all are held open and read. A warm-up of WARMUP_STREAMS (100) streams,
# opened and closed first, leaves class loading, pools and caches out of the figure. SETTLE_SECONDS (2) after
# closing streams lets the app release them (before this branch: 20, a closed stream was noticed at the
# 15 s heartbeat).
# Usage (repo root): [JAVA=...] [STREAMS=1000] bench/stream-heap.sh [app.jar]

source "$(dirname "$0")/lib.sh"

JAR=$(find_jar "${1:-}")
STREAMS=${STREAMS:-1000}
WARMUP_STREAMS=${WARMUP_STREAMS:-100}
TOP=${TOP:-15}
SETTLE_SECONDS=${SETTLE_SECONDS:-2}
JDK_BIN=$(dirname "$(readlink -f "$(command -v "$JAVA")")")

# histogram FILE: a class histogram of the live objects (the command runs a full GC first).
histogram() { "$JDK_BIN/jcmd" "$APP_PID" GC.class_histogram >"$1"; }

total_bytes() { awk '$1 == "Total" { print $3 }' "$1"; }

# hold NAME COUNT: starts the clients with their standard input on a fifo (fd 4 here) and waits until every
# stream has its first event.
hold() {
	local name=$1 count=$2
	mkfifo "$BENCH_TMP/$name.in"
	python3 "$BENCH_DIR/stream-clients.py" "$APP_PORT" "$count" <"$BENCH_TMP/$name.in" >"$BENCH_TMP/$name.out" 2>&1 &
	CLIENTS_PID=$!; BENCH_PIDS+=("$CLIENTS_PID")
	exec 4>"$BENCH_TMP/$name.in"
	for _ in $(seq 1 1200); do
		grep -q '^open ' "$BENCH_TMP/$name.out" && return 0
		kill -0 "$CLIENTS_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "the stream clients did not open $count streams:" >&2; cat "$BENCH_TMP/$name.out" >&2; exit 1
}

# release: closes the clients' standard input, so they close their streams, and waits for them.
release() {
	exec 4>&-
	wait "$CLIENTS_PID" || true
}

start_redis REDIS
cap=$((2 * STREAMS + WARMUP_STREAMS))
start_app APP "$JAR" "$REDIS_PORT" VISITORS_LIVE_MAX_STREAMS=$cap VISITORS_LIVE_MAX_STREAMS_PER_CLIENT=$cap
wait_ready "$APP_URL" "$APP_PID" 120

hold warmup "$WARMUP_STREAMS"
release
sleep "$SETTLE_SECONDS"
histogram "$BENCH_TMP/before.txt"

hold streams "$STREAMS"
histogram "$BENCH_TMP/open.txt"
rss_open=$(awk '$1 == "VmRSS:" { printf "%.0f", $2 / 1024 }' "/proc/$APP_PID/status")
release
sleep "$SETTLE_SECONDS"
histogram "$BENCH_TMP/closed.txt"

before=$(total_bytes "$BENCH_TMP/before.txt")
open=$(total_bytes "$BENCH_TMP/open.txt")
closed=$(total_bytes "$BENCH_TMP/closed.txt")
awk -v n="$STREAMS" -v b="$before" -v o="$open" -v c="$closed" -v rss="$rss_open" 'BEGIN {
	printf "streams=%d live_heap_before_mib=%.1f live_heap_open_mib=%.1f live_heap_closed_mib=%.1f per_stream_kib=%.1f rss_open_mib=%s\n",
		n, b / 1048576, o / 1048576, c / 1048576, (o - b) / n / 1024, rss
}'
echo "# top classes by live bytes added per open stream (bytes, instances)"
awk -v n="$STREAMS" '
	FNR == 1 { file++ }
	$1 ~ /^[0-9]+:$/ { bytes[file, $4] = $3; count[file, $4] = $2; names[$4] = 1 }
	END {
		for (name in names) {
			d = (bytes[2, name] - bytes[1, name]) / n
			if (d > 0) printf "%9.1f %7.2f  %s\n", d, (count[2, name] - count[1, name]) / n, name
		}
	}' "$BENCH_TMP/before.txt" "$BENCH_TMP/open.txt" | sort -rn | head -n "$TOP"
