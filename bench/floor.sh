#!/usr/bin/env bash
# bench/floor.sh — builds the stack floor (bench/floor: the smallest Spring Boot app on the project's stack that
# answers the benchmark's requests, see BENCHMARKS.md) and prints the path of its jar. Run it beside the app:
#   B_JAR=$(bench/floor.sh) B_APP_ENV=FLOOR_MODE=redis bench/run.sh
# FLOOR_MODE: memory (no Redis), redis (one EVALSHA per POST through Spring Data Redis, as the app),
# redis-async (the same on Lettuce's async API). Builds with $JAVA's JDK, like the app jar it is compared with.
set -euo pipefail
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v "${JAVA:-java}")")")")
cd "$(dirname "$0")/.."
JAVA_HOME=$java_home ./mvnw -B -q -f bench/floor/pom.xml package -DskipTests >&2
ls "$PWD"/bench/floor/target/stack-floor-1.jar
