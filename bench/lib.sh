# Shared helpers for the bench/*.sh scripts (sourced, not run).
# Everything started here is recorded in BENCH_PIDS and stopped by pid in bench_cleanup (trap on EXIT).

set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$BENCH_DIR/.." && pwd)
JAVA=${JAVA:-java}
NODE=${NODE:-node}
REDIS_SERVER=${REDIS_SERVER:-redis-server}
WRK=${WRK:-wrk}
WRK_THREADS=${WRK_THREADS:-1}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
CLK_TCK=$(getconf CLK_TCK)
BENCH_TMP=$(mktemp -d /tmp/bench.XXXXXX)
BENCH_PIDS=()
BENCH_CONTAINERS=()
CONTAINER_CLI=${CONTAINER_CLI:-docker}
export BENCH_DIR

bench_cleanup() {
	local pid
	for pid in "${BENCH_PIDS[@]:-}"; do
		[ -n "$pid" ] && kill "$pid" 2>/dev/null || true
	done
	for pid in "${BENCH_PIDS[@]:-}"; do
		[ -z "$pid" ] && continue
		for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
	done
	local container
	for container in "${BENCH_CONTAINERS[@]:-}"; do
		[ -n "$container" ] && "$CONTAINER_CLI" rm -f "$container" >/dev/null 2>&1 || true
	done
	[ -n "${KEEP_TMP:-}" ] || rm -rf "$BENCH_TMP"
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "# $*" >&2; }

# The JVM flags from bench/jvm-flags unless JVM_FLAGS is set.
jvm_flags() {
	if [ -n "${JVM_FLAGS:-}" ]; then echo "$JVM_FLAGS"; else grep -v '^\s*#' "$BENCH_DIR/jvm-flags" | sed 's/#.*//' | xargs; fi
}

# The app jar: $1, else $APP_JAR, else target/visitor-counter-*.jar (not *.original) under the repo root.
find_jar() {
	local jar=${1:-${APP_JAR:-}}
	if [ -z "$jar" ]; then
		jar=$(ls "$REPO_ROOT"/target/visitor-counter-*.jar 2>/dev/null | grep -v '\.original$' | head -1 || true)
	fi
	[ -n "$jar" ] && [ -f "$jar" ] || { echo "app jar not found (give it as argument or APP_JAR)" >&2; exit 2; }
	(cd "$(dirname "$jar")" && echo "$PWD/$(basename "$jar")")
}

# Picks below the kernel's ephemeral range: a port in it can be the local end of an outgoing connection (wrk's,
# Lettuce's), which a connect test does not see and which makes the server's bind fail.
free_port() {
	local p low
	read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
	# A range that starts near 10000 or lower leaves no room below it: then take the chance, as before.
	[ "$low" -gt 11000 ] || low=40000
	for _ in $(seq 1 200); do
		p=$((10000 + RANDOM % (low - 10000)))
		if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return; fi
	done
	echo "no free port" >&2; exit 2
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# start_redis VAR: starts a throwaway redis-server (no persistence), sets VAR_PORT and VAR_PID.
start_redis() {
	local name=$1 port dir
	port=$(free_port); dir="$BENCH_TMP/redis-$port"; mkdir -p "$dir"
	"$REDIS_SERVER" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
		--daemonize no --logfile "$dir/redis.log" &
	local pid=$!; BENCH_PIDS+=("$pid")
	for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
	redis-cli -p "$port" ping >/dev/null || { echo "redis did not start" >&2; exit 1; }
	printf -v "${name}_PORT" '%s' "$port"; printf -v "${name}_PID" '%s' "$pid"
	log "redis $name pid=$pid port=$port"
}

rcli() { local port=$1; shift; redis-cli -p "$port" "$@"; }

# limit_env: the env assignments that switch the app's per-address limits off. All load comes from 127.0.0.1:
# the per-address request budget (30 per 10 s), new-visitor cap (50 per hour) and read budget (120 per 10 s)
# would turn the benchmark into a measurement of 429s and uncounted visits. They stay on with BENCH_LIMITS=on
# (they add Redis work inside the same script then).
limit_env() {
	[ "${BENCH_LIMITS:-off}" = on ] ||
		echo VISITORS_RATE_LIMIT_ENABLED=false VISITORS_NEW_VISITOR_CAP_ENABLED=false VISITORS_READ_LIMIT_ENABLED=false
}

# started VAR PID PORT START_MS: records a started service (stopped on exit) and sets VAR_PID, VAR_PORT, VAR_URL
# and VAR_START_MS.
started() {
	BENCH_PIDS+=("$2")
	printf -v "$1_PID" '%s' "$2"; printf -v "$1_PORT" '%s' "$3"
	printf -v "$1_URL" '%s' "http://127.0.0.1:$3"; printf -v "$1_START_MS" '%s' "$4"
}

# spring_started LOG: " spring_s=S process_s=P" from Spring Boot's "Started ... in S seconds (process running
# for P)" line in a service's log: the application context's start, and the JVM's age at that moment.
spring_started() {
	sed -nE 's/.*Started .* in ([0-9.]+) seconds \(process running for ([0-9.]+)\).*/ spring_s=\1 process_s=\2/p' "$1"
}

# start_app VAR JAR REDIS_PORT [extra env assignments...]: sets VAR_PORT, VAR_PID, VAR_URL, VAR_START_MS.
start_app() {
	local name=$1 jar=$2 rport=$3; shift 3
	local port; port=$(free_port)
	local flags; flags=$(jvm_flags)
	local start; start=$(now_ms)
	# shellcheck disable=SC2086,SC2046
	env REDIS_URL="redis://127.0.0.1:$rport" SERVER_PORT="$port" $(limit_env) "$@" \
		"$JAVA" $flags ${JAVA_EXTRA_FLAGS:-} -jar "$jar" >"$BENCH_TMP/$name.log" 2>&1 &
	started "$name" $! "$port" "$start"
	log "app $name pid=$! port=$port java=$JAVA flags=$flags ${JAVA_EXTRA_FLAGS:-} env=$(limit_env) $*"
}

# start_peer VAR PEER_DIR REDIS_PORT: the Node.js reference peer (COUNTER_MODE=setnx unless PEER_MODE is set).
start_peer() {
	local name=$1 dir=$2 rport=$3
	local port; port=$(free_port)
	local start; start=$(now_ms)
	(cd "$dir" && exec env PORT="$port" HOST=127.0.0.1 REDIS_URL="redis://127.0.0.1:$rport" \
		COUNTER_MODE="${PEER_MODE:-setnx}" "$NODE" server.js) >"$BENCH_TMP/$name.log" 2>&1 &
	started "$name" $! "$port" "$start"
	log "peer $name pid=$! port=$port dir=$dir"
}

# start_image VAR IMAGE REDIS_PORT: the packaged image, run by $CONTAINER_CLI (docker; podman works too) on the
# host's network with the env start_app gives the jar (CONTAINER_RUN_OPTS adds options, e.g. podman's --runtime);
# sets the same variables as start_app. VAR_PID is the CLI's: stopping it stops the container (the CLI passes the
# signal on), and every container started here is removed on exit. The image's own JVM flags apply.
start_image() {
	local name=$1 image=$2 rport=$3
	local port; port=$(free_port)
	local container="bench-$name-$RANDOM$RANDOM"
	local start; start=$(now_ms)
	local env=(-e REDIS_URL="redis://127.0.0.1:$rport" -e SERVER_PORT="$port") assignment
	for assignment in $(limit_env); do env+=(-e "$assignment"); done
	# shellcheck disable=SC2086
	"$CONTAINER_CLI" run --rm --name "$container" --network host ${CONTAINER_RUN_OPTS:-} "${env[@]}" "$image" \
		>"$BENCH_TMP/$name.log" 2>&1 &
	started "$name" $! "$port" "$start"
	BENCH_CONTAINERS+=("$container")
	log "image $name cli_pid=$! port=$port image=$image container=$container"
}

# post URL ID: one POST, prints the HTTP status.
post() {
	curl -s -o /dev/null -w '%{http_code}' --max-time 2 -A bench -H 'Content-Type: application/json' \
		-d "{\"visitorId\":\"$2\"}" "$1/api/visitors" 2>/dev/null || true
}

# wait_ready URL PID [timeout_s]: polls POST every ~20 ms until 200; prints ms since the service's start.
wait_ready() {
	local url=$1 pid=$2 timeout=${3:-60} deadline code
	deadline=$(( $(now_ms) + timeout * 1000 ))
	while [ "$(now_ms)" -lt "$deadline" ]; do
		kill -0 "$pid" 2>/dev/null || {
			echo "service pid $pid died; the end of the newest service log:" >&2
			tail -n 20 "$(ls -t "$BENCH_TMP"/*.log | head -1)" >&2
			return 1
		}
		code=$(post "$url" "readiness-probe-000000")
		[ "$code" = 200 ] && return 0
		sleep 0.02
	done
	echo "service at $url not ready after ${timeout}s" >&2; return 1
}

# "total idle" ticks of the whole machine from /proc/stat (idle includes iowait).
host_ticks() { awk '$1 == "cpu" { t = 0; for (i = 2; i <= NF; i++) t += $i; print t, $5 + $6; exit }' /proc/stat; }

# The machine's busy share (% of all cores) over one second.
host_busy_1s() { local a b; a=$(host_ticks); sleep 1; b=$(host_ticks); awk -v a="$a" -v b="$b" 'BEGIN { split(a, x); split(b, y); printf "%.0f", 100 * ((y[1] - y[2]) - (x[1] - x[2])) / (y[1] - x[1]) }'; }

# CPU ticks (user+system) of a pid, from /proc/<pid>/stat (fields 14 and 15, after the "(comm)").
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# Read plus write system calls of a pid so far (all its threads), from /proc/<pid>/io.
syscalls() { awk '$1 == "syscr:" || $1 == "syscw:" { n += $2 } END { print n + 0 }' "/proc/$1/io" 2>/dev/null || echo 0; }

# Context switches (voluntary and not) of a pid's live threads so far, from /proc/<pid>/task/*/status.
ctx_switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^(non)?voluntary_ctxt_switches:/ { n += $2 } END { print n + 0 }'; }

# pre_register URL PREFIX N: registers the returning-visitor pool (ids as in bench/wrk/common.lua) with one curl
# process (keep-alive, sequential). Prints nothing; fails if a request fails.
pre_register() {
	local url=$1 prefix=$2 n=$3 cfg="$BENCH_TMP/prereg.curl"
	awk -v url="$url" -v p="$prefix" -v n="$n" 'BEGIN {
		for (i = 0; i < n; i++) {
			if (i > 0) print "next"
			printf "url = \"%s/api/visitors\"\nheader = \"Content-Type: application/json\"\nuser-agent = \"bench\"\n", url
			printf "data = \"{\\\"visitorId\\\":\\\"%s-pool-%010d\\\"}\"\noutput = \"/dev/null\"\nfail\n", p, i
		}
	}' >"$cfg"
	curl -s -K "$cfg" --max-time 120
}

# check_counting URL PREFIX: proves the service really counts (not 429, not "bot"/cap-uncounted): a fresh id must
# give 200 and "newVisitor":true, the same id again 200 and "newVisitor":false. Exits on failure.
check_counting() {
	local url=$1 id="$2-check-0000000000" a b
	a=$(curl -s --max-time 2 -A bench -H 'Content-Type: application/json' -d "{\"visitorId\":\"$id\"}" -w ' %{http_code}' "$url/api/visitors")
	b=$(curl -s --max-time 2 -A bench -H 'Content-Type: application/json' -d "{\"visitorId\":\"$id\"}" -w ' %{http_code}' "$url/api/visitors")
	# the app answers "newVisitor", the peer "new"
	if [[ "$a" =~ \"new(Visitor)?\":true.*\ 200$ && "$b" =~ \"new(Visitor)?\":false.*\ 200$ ]]; then
		log "counting check ok at $url"
	else
		echo "counting check FAILED at $url: first=[$a] second=[$b]" >&2; exit 1
	fi
}

# The returning-visitor id of pool slot I (same format as pool_id() in bench/wrk/common.lua).
pool_id() { printf '%s-pool-%010d' "$1" "$2"; }

# run_wrk URL SCRIPT DURATION PID [key=value env for the Lua script...]
# Runs wrk, prints "rps=.. p50_ms=.. p99_ms=.. errors=.. requests=.. cpu_pct=.. redis_cpu_pct=.."
# cpu_pct: CPU time of PID (all its threads) over wall time, in % of one core (max 100 x cores); pid "-" = unknown.
# redis_cpu_pct: the same for $BENCH_REDIS_PID if set. rss_mb: VmRSS of PID right after the run,
# rss_anon_mb its anonymous part (without mapped files such as the jar or an AOT cache). host_busy_pct: the whole machine's busy share (% of all
# cores), to spot other load on the machine. syscalls_per_request: PID's read and write system calls (socket I/O,
# wake-ups) per completed request; ctx_switches_per_request: its threads' context switches per request (threads
# that ended during the run are not counted). Both count work that a JFR profile does not show: kernel time.
run_wrk() {
	local url=$1 script=$2 duration=$3 pid=$4; shift 4
	local out="$BENCH_TMP/wrk.out" t0 t1 c0 c1
	local rpid=${BENCH_REDIS_PID:-} r0=0 r1=0
	[ -n "$rpid" ] && r0=$(cpu_ticks "$rpid")
	local h0 h1; h0=$(host_ticks)
	local s0=0 s1=0 x0=0 x1=0
	[ "$pid" != - ] && { s0=$(syscalls "$pid"); x0=$(ctx_switches "$pid"); }
	c0=0; [ "$pid" != - ] && c0=$(cpu_ticks "$pid"); t0=$(date +%s%N)
	env BENCH_THREADS="$WRK_THREADS" "$@" BENCH_DIR="$BENCH_DIR" timeout $((duration + 30)) "$WRK" -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" \
		-d"${duration}s" --timeout 5s -s "$BENCH_DIR/wrk/$script" "$url/api/visitors" >"$out" 2>&1 || true
	t1=$(date +%s%N); c1=0; [ "$pid" != - ] && c1=$(cpu_ticks "$pid")
	[ "$pid" != - ] && { s1=$(syscalls "$pid"); x1=$(ctx_switches "$pid"); }
	[ -n "$rpid" ] && r1=$(cpu_ticks "$rpid")
	h1=$(host_ticks)
	local line; line=$(grep '^WRK ' "$out" | tail -1 || true)
	if [ -z "$line" ]; then echo "wrk failed:" >&2; cat "$out" >&2; echo "rps=0 p50_ms=NA p99_ms=NA errors=NA requests=0 cpu_pct=NA redis_cpu_pct=NA"; return; fi
	local cpu; cpu=$(awk -v c=$((c1 - c0)) -v hz="$CLK_TCK" -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f", 100 * c / hz / (ns / 1e9) }')
	local rcpu; rcpu=$(awk -v c=$((r1 - r0)) -v hz="$CLK_TCK" -v ns=$((t1 - t0)) 'BEGIN { printf "%.0f", 100 * c / hz / (ns / 1e9) }')
	[ -n "$rpid" ] || rcpu=NA
	[ "$pid" != - ] || cpu=NA
	local host; host=$(awk -v a="$h0" -v b="$h1" 'BEGIN { split(a, x); split(b, y); printf "%.0f", 100 * ((y[1] - y[2]) - (x[1] - x[2])) / (y[1] - x[1]) }')
	local rss=NA anon=NA
	if [ "$pid" != - ]; then
		rss=$(awk '$1 == "VmRSS:" { printf "%.0f", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo NA)
		anon=$(awk '$1 == "RssAnon:" { printf "%.0f", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null || echo NA)
	fi
	local requests; requests=$(field requests "${line#WRK }")
	local per_request=NA ctx_per_request=NA
	if [ "$pid" != - ] && [ "${requests:-0}" -gt 0 ]; then
		per_request=$(awk -v n=$((s1 - s0)) -v r="$requests" 'BEGIN { printf "%.2f", n / r }')
		ctx_per_request=$(awk -v n=$((x1 - x0)) -v r="$requests" 'BEGIN { printf "%.2f", n / r }')
	fi
	echo "${line#WRK } cpu_pct=$cpu redis_cpu_pct=$rcpu host_busy_pct=$host rss_mb=$rss rss_anon_mb=$anon syscalls_per_request=$per_request ctx_switches_per_request=$ctx_per_request"
}

# field NAME LINE: the value of NAME=... in a key=value line.
field() { tr ' ' '\n' <<<"$2" | awk -F= -v k="$1" '$1 == k { print $2 }'; }

median() { tr ' ' '\n' | grep -v '^$' | grep -v NA | sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "NA"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# stop_pid PID: SIGTERM, wait up to 10 s, then SIGKILL (only pids this script started).
stop_pid() {
	local pid=$1
	kill "$pid" 2>/dev/null || return 0
	for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null || true
}

# count_of URL: the count the service reports on GET /api/visitors.
count_of() { curl -s --max-time 2 "$1/api/visitors" | sed -n 's/.*"count":\([0-9]*\).*/\1/p'; }

# info_field PORT SECTION NAME: one value from INFO.
info_field() { redis-cli -p "$1" info "$2" | tr -d '\r' | awk -F: -v k="$3" '$1 == k { print $2 }'; }
