#!/usr/bin/env bash
# bench/floor.sh — builds the stack floor (bench/floor: the smallest Spring Boot app on the project's stack that
# answers the benchmark's requests, see BENCHMARKS.md) and prints the path of its jar. Run it beside the app:
#   B_JAR=$(bench/floor.sh) B_APP_ENV=FLOOR_MODE=redis bench/run.sh
# FLOOR_MODE: memory (no Redis), redis (one EVALSHA per POST through Spring Data Redis, as the app),
# redis-async (the same on Lettuce's async API). Builds with $JAVA's JDK, like the app jar it is compared with.
# FLOOR_SERVER=jetty builds the same floor on Jetty instead of Tomcat (bench/floor/pom.xml, profile jetty).
set -euo pipefail
java_home=$(dirname "$(dirname "$(readlink -f "$(command -v "${JAVA:-java}")")")")
cd "$(dirname "$0")/.."
case ${FLOOR_SERVER:-tomcat} in
tomcat) profile=(); jar=stack-floor-1.jar ;;
jetty) profile=(-Pjetty); jar=stack-floor-jetty.jar ;;
*) echo "FLOOR_SERVER must be tomcat or jetty" >&2; exit 2 ;;
esac
JAVA_HOME=$java_home ./mvnw -B -q -f bench/floor/pom.xml "${profile[@]}" package -DskipTests >&2
ls "$PWD/bench/floor/target/$jar"
