package io.github.visitorcounter;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local stack cannot be started where this project is built (no Docker engine), so
 * its files are checked statically here; GitHub Actions runs the real
 * {@code docker compose up} smoke test.
 */
class LocalStackTests {

	@Test
	void composeRunsAPersistentHealthCheckedRedis() throws IOException {
		Map<String, Object> redis = service("redis");
		assertThat((String) redis.get("image")).matches("redis:7\\.\\d+\\.\\d+");
		assertThat(redis.get("command").toString()).contains("--appendonly, yes").contains("--appendfsync, everysec");
		assertThat(list(redis, "volumes")).containsExactly("redis-data:/data");
		assertThat(map(redis, "healthcheck").get("test")).isEqualTo(List.of("CMD", "redis-cli", "ping"));
		assertThat(map(compose(), "volumes")).containsKey("redis-data");
		assertThat(redis.get("restart")).isEqualTo("unless-stopped");
	}

	@Test
	void composeBuildsTheAppAndStartsItOnceRedisIsHealthy() throws IOException {
		Map<String, Object> app = service("app");
		assertThat(app.get("build")).isEqualTo(".");
		assertThat(map(app, "environment")).containsEntry("REDIS_URL", "redis://redis:6379");
		assertThat(list(app, "ports")).containsExactly("8080:8080");
		assertThat(map(map(app, "depends_on"), "redis")).containsEntry("condition", "service_healthy");
		assertThat(app.get("restart")).isEqualTo("unless-stopped");
	}

	@Test
	void composeBehindCaddyRunsTheRecipeInFrontOfTwoInstancesThatTrustOnlyCaddy() throws IOException {
		Map<String, Object> services = map(yaml("deploy/compose.caddy.yml"), "services");
		Map<String, Object> caddy = map(services, "caddy");
		assertThat((String) caddy.get("image")).matches("caddy:2\\.\\d+\\.\\d+");
		assertThat(list(caddy, "volumes")).contains("./Caddyfile:/etc/caddy/Caddyfile:ro");
		assertThat(map(caddy, "environment")).containsEntry("VISITOR_COUNTER_UPSTREAMS", "app1:8080 app2:8080");
		Object caddyAddress = map(map(caddy, "networks"), "internal").get("ipv4_address");
		for (String name : List.of("app1", "app2")) {
			Map<String, Object> app = map(services, name);
			assertThat(app.get("build")).isEqualTo("..");
			assertThat(map(app, "environment")).containsEntry("REDIS_URL", "redis://redis:6379")
				.containsEntry("SERVER_FORWARD_HEADERS_STRATEGY", "native")
				.containsEntry("SERVER_TOMCAT_REMOTEIP_INTERNAL_PROXIES", caddyAddress + "/32");
		}
		assertThat(services.keySet()).filteredOn((name) -> map(services, name).containsKey("ports"))
			.as("services reachable from outside")
			.containsExactly("caddy");
		Map<String, Object> redis = new HashMap<>(map(services, "redis"));
		redis.remove("networks");
		assertThat(redis).as("the local stack's Redis").isEqualTo(service("redis"));
	}

	@Test
	void dockerfileBuildsWithTheWrapperAndRunsALayeredJarAsANonRootUser() throws IOException {
		List<String> lines = Files.readAllLines(Path.of("Dockerfile"));
		assertThat(lines).filteredOn((line) -> line.startsWith("FROM "))
			.containsExactly("FROM eclipse-temurin:25-jdk AS build", "FROM eclipse-temurin:25-jre");
		String dockerfile = String.join("\n", lines);
		assertThat(dockerfile).contains("./mvnw -B -q package")
			.contains("-Djarmode=tools -jar application.jar extract --layers")
			.contains("HEALTHCHECK")
			.contains("EXPOSE 8080")
			.contains("-XX:MaxRAMPercentage=");
		assertThat(lines).filteredOn((line) -> line.startsWith("USER ")).singleElement().isEqualTo("USER 10001");
	}

	@Test
	void workflowVerifiesOnJava17And25AndSmokeTestsTheComposeStack() throws IOException {
		Map<String, Object> workflow = yaml(".github/workflows/ci.yml");
		Map<String, Object> jobs = map(workflow, "jobs");
		Map<String, Object> matrix = map(map(map(jobs, "verify"), "strategy"), "matrix");
		assertThat(matrix.get("java")).isEqualTo(List.of("17", "25"));
		assertThat(map(jobs, "verify").toString()).contains("./mvnw -B verify")
			.contains("cache=maven")
			.contains("apt-get install -y -qq --no-install-recommends nginx caddy libnss3-tools");
		assertThat(map(jobs, "compose").toString()).contains("docker compose up -d --build")
			.contains("\"1 1 2\"")
			.contains("docker compose down -v");
	}

	private static Map<String, Object> service(String name) throws IOException {
		return map(map(compose(), "services"), name);
	}

	private static Map<String, Object> compose() throws IOException {
		return yaml("docker-compose.yml");
	}

	private static Map<String, Object> yaml(String file) throws IOException {
		try (Reader reader = Files.newBufferedReader(Path.of(file))) {
			return new Yaml().load(reader);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> parent, String key) {
		assertThat(parent).containsKey(key);
		return (Map<String, Object>) parent.get(key);
	}

	@SuppressWarnings("unchecked")
	private static List<Object> list(Map<String, Object> parent, String key) {
		assertThat(parent).containsKey(key);
		return (List<Object>) parent.get(key);
	}

}
