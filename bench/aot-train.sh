#!/usr/bin/env bash
# bench/aot-train.sh — builds the start-up cache for the app from a short training run under real load.
#
# What: extracts the Spring Boot jar (`-Djarmode=tools extract`: application jar + lib/, which the JVM's class
# cache needs: it cannot archive classes loaded from nested jars), then starts it once with
#   Java 25+: -XX:AOTCacheOutput=$OUT/app.aot   (JEP 483/514/515: loaded and linked classes + method profiles)
#   Java 17-24: -XX:ArchiveClassesAtExit=$OUT/app.jsa   (dynamic CDS archive: class metadata only)
# with the production flags (bench/jvm-flags), exercises it for TRAIN_SECONDS (20) with the wrk `mix`
# scenario (POST new and returning visitors, GET counts) after pre-registering a pool, stops it with SIGTERM
# (the JVM writes the cache on exit) and prints the flags to use it:
#   JAVA_EXTRA_FLAGS=-XX:AOTCache=$OUT/app.aot  with the extracted jar $OUT/<name of the given jar>
# The cache is only valid for the same JDK build, the same jar(s) at the same paths and compatible flags;
# the JVM ignores a stale or mismatched cache (with a warning) and starts normally.
# Usage (repo root): JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/aot-train.sh [app.jar]
# Env: OUT (default target/aot), TRAIN_SECONDS.

source "$(dirname "$0")/lib.sh"

JAR=$(find_jar "${1:-}")
OUT=${OUT:-$REPO_ROOT/target/aot}
TRAIN_SECONDS=${TRAIN_SECONDS:-20}
POOL=1000
RUN=t$RANDOM$RANDOM

rm -rf "$OUT"; mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
"$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$OUT" --force >&2
EXTRACTED="$OUT/$(basename "$JAR")"
feature=$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F= '/java.specification.version/ { gsub(/ /, "", $2); print $2 }')
if [ "${feature%%.*}" -ge 25 ]; then
	CACHE="$OUT/app.aot"; TRAIN_FLAG="-XX:AOTCacheOutput=$CACHE"; USE_FLAG="-XX:AOTCache=$CACHE"
else
	CACHE="$OUT/app.jsa"; TRAIN_FLAG="-XX:ArchiveClassesAtExit=$CACHE"; USE_FLAG="-XX:SharedArchiveFile=$CACHE"
fi
start_redis REDIS
JAVA_EXTRA_FLAGS="${JAVA_EXTRA_FLAGS:-} $TRAIN_FLAG" start_app APP "$EXTRACTED" "$REDIS_PORT"
wait_ready "$APP_URL" "$APP_PID" 180
check_counting "$APP_URL" "$RUN"
pre_register "$APP_URL" "$RUN" "$POOL"
log "training: $(run_wrk "$APP_URL" mix.lua "$TRAIN_SECONDS" "$APP_PID" BENCH_PREFIX="${RUN}x" BENCH_POOL_PREFIX="$RUN" BENCH_POOL="$POOL")"
curl -s -o /dev/null --max-time 5 "$APP_URL/actuator/health" || true
curl -s -o /dev/null --max-time 5 "$APP_URL/actuator/prometheus" || true
kill "$APP_PID"
for _ in $(seq 1 1200); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.1; done
[ -s "$CACHE" ] || { echo "no cache written; app log:" >&2; tail -30 "$BENCH_TMP/APP.log" >&2; exit 1; }
echo "aot_cache=$CACHE size_mb=$(du -m "$CACHE" | cut -f1) jar=$EXTRACTED"
echo "use: B_JAR=$EXTRACTED B_JAVA_EXTRA_FLAGS=$USE_FLAG   (or APP_JAR=... JAVA_EXTRA_FLAGS=...)"
