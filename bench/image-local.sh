#!/usr/bin/env bash
# bench/image-local.sh — the image's start command, prepared outside a container: for machines where no engine
# builds the image, and for A/B runs of the image's flags with bench/startup.sh and bench/rss.sh.
#
# What: does what the Dockerfile does after `./mvnw package`: extracts the jar's layers
# (`-Djarmode=tools extract --layers`) and merges them into DIR (as its four COPY lines do), then trains the AOT
# cache DIR/app.aot with bench/aot-training.sh (redis-server and real requests) under the Dockerfile's
# JAVA_TOOL_OPTIONS. Prints the settings that start the result as the image's ENTRYPOINT does, with absolute paths
# (a cache is only used with the jar path it was trained with; the image uses relative ones in /app for both):
#   JVM_FLAGS="<JAVA_TOOL_OPTIONS>" JAVA_EXTRA_FLAGS="<ENTRYPOINT's JVM flags>" and the jar DIR/application.jar
# and writes them to DIR/start.env for `source`. IMAGE_FLAGS replaces the Dockerfile's JAVA_TOOL_OPTIONS (to
# train a variant).
# Usage (repo root): JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/image-local.sh [app.jar] [DIR]
# Then: source DIR/start.env && JVM_FLAGS="$IMAGE_JVM_FLAGS" JAVA_EXTRA_FLAGS="$IMAGE_JAVA_EXTRA_FLAGS" \
#   bench/startup.sh "$IMAGE_JAR"

source "$(dirname "$0")/lib.sh"

JAR=$(find_jar "${1:-}")
DIR=${2:-/tmp/image-local}
DOCKERFILE="$REPO_ROOT/Dockerfile"
FLAGS=${IMAGE_FLAGS:-$(sed -nE 's/^ENV JAVA_TOOL_OPTIONS="([^"]+)"/\1/p' "$DOCKERFILE")}
[ -n "$FLAGS" ] || { echo "no ENV JAVA_TOOL_OPTIONS in $DOCKERFILE" >&2; exit 2; }
# ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-jar", "application.jar"]: the JVM flags between java and -jar.
ENTRY_FLAGS=$(sed -nE 's/^ENTRYPOINT \["java", (.*), "-jar", "application.jar"\]/\1/p' "$DOCKERFILE" | tr -d '",')

rm -rf "$DIR" "$BENCH_TMP/layers"
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
ENTRY_FLAGS=${ENTRY_FLAGS//=app.aot/=$DIR/app.aot}
cp "$JAR" "$BENCH_TMP/application.jar"
"$JAVA" -Djarmode=tools -jar "$BENCH_TMP/application.jar" extract --layers --destination "$BENCH_TMP/layers" >&2
for layer in dependencies spring-boot-loader snapshot-dependencies application; do
	[ -d "$BENCH_TMP/layers/$layer" ] && cp -a "$BENCH_TMP/layers/$layer/." "$DIR/"
done
log "training the cache with JAVA_TOOL_OPTIONS=$FLAGS"
JAVA_TOOL_OPTIONS="$FLAGS" JAVA="$JAVA" "$BENCH_DIR/aot-training.sh" "$DIR/app.aot" "$DIR/application.jar" >&2
cat >"$DIR/start.env" <<EOF
IMAGE_JVM_FLAGS="$FLAGS"
IMAGE_JAVA_EXTRA_FLAGS="$ENTRY_FLAGS"
IMAGE_JAR="$DIR/application.jar"
EOF
cat "$DIR/start.env"
