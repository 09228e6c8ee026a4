# syntax=docker/dockerfile:1

# Build: the JDK compiles and packages with the Maven Wrapper, then splits the Spring Boot jar into layers
# so that a code change rebuilds only the thin application layer.
FROM eclipse-temurin:25-jdk AS build
WORKDIR /workspace
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q dependency:go-offline
COPY src src
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q package -DskipTests \
 && cp target/visitor-counter-*.jar application.jar \
 && java -Djarmode=tools -jar application.jar extract --layers --destination extracted

# Run: a JRE only, as an unprivileged user.
FROM eclipse-temurin:25-jre
RUN groupadd --system app && useradd --system --gid app --uid 10001 --no-create-home app
WORKDIR /app
COPY --from=build /workspace/extracted/dependencies/ ./
COPY --from=build /workspace/extracted/spring-boot-loader/ ./
COPY --from=build /workspace/extracted/snapshot-dependencies/ ./
COPY --from=build /workspace/extracted/application/ ./
# Production JVM flags, the set bench/jvm-flags holds and BENCHMARKS.md measures: a heap sized for the job
# (-Xmx128m takes precedence over -XX:MaxRAMPercentage, which stays only as the fallback if -Xmx is removed;
# a 48 MB heap saved 40 MB RSS but raised p99 6x in an A/B run), small thread stacks, a collector that suits
# one or two cores, a bounded code cache and metaspace. -XX:+ExitOnOutOfMemoryError: an OutOfMemoryError ends the
# process, so that the orchestrator restarts it, instead of killing a server thread (Tomcat's acceptor) and leaving
# an instance that answers nothing.
# Not -Dspring.aot.enabled=true: it would start a little faster, but Spring AOT decides conditions when the
# image is built, and settings such as MANAGEMENT_SERVER_PORT must keep working when the container starts.
ENV JAVA_TOOL_OPTIONS="-XX:+UseSerialGC -Xss512k -Xmx128m -XX:MaxRAMPercentage=70 -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=128m -XX:+ExitOnOutOfMemoryError"
# Java 25 AOT cache (JEP 483/514/515): a training run records the classes the app loads and links and the method
# profiles of the request path; the JVM maps them from app.aot on every later start and compiles that path sooner
# (BENCHMARKS.md, "Start-up and warm-up"). Trained here, in the final stage, with the same JVM, the same jar paths
# and the same flags as at run time (the cache is only used if all three match; otherwise the JVM warns and starts
# normally), on real requests: bench/aot-training.sh starts a throwaway redis-server, installed for this step
# only, and sends POSTs and GETs through bash's /dev/tcp. Where the benchmarks ran, podman built this file
# ("The packaged image, built and started" in BENCHMARKS.md).
RUN --mount=type=bind,source=bench/aot-training.sh,target=/tmp/aot-training.sh \
    apt-get update -qq && apt-get install -y -qq --no-install-recommends redis-server >/dev/null \
 && bash /tmp/aot-training.sh app.aot application.jar \
 && apt-get purge -y -qq --auto-remove redis-server >/dev/null && apt-get clean && rm -rf /var/lib/apt/lists/* \
 && test -s app.aot
USER 10001
EXPOSE 8080
# No curl in the image: bash's /dev/tcp asks the health endpoint.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD bash -c 'exec 3<>/dev/tcp/127.0.0.1/8080 && printf "GET /actuator/health HTTP/1.0\r\nHost: localhost\r\n\r\n" >&3 && grep -q "\"status\":\"UP\"" <&3'
ENTRYPOINT ["java", "-XX:AOTCache=app.aot", "-jar", "application.jar"]
