package io.github.visitorcounter.system;

import java.net.http.HttpResponse;
import java.util.UUID;

import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health groups, build and git info, and the metrics Prometheus scrapes, after known
 * traffic.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "visitors.rate-limit.requests=6", "visitors.new-visitor-cap.per-ip=3" })
class ObservabilityTests extends ApiTestSupport {

	@Test
	void exposesLivenessAndReadinessGroups() {
		assertThat(this.api.get("/actuator/health/liveness").body()).isEqualTo("{\"status\":\"UP\"}");
		assertThat(this.api.get("/actuator/health/readiness").body()).isEqualTo("{\"status\":\"UP\"}");
		for (String path : new String[] { "/actuator/health", "/actuator/info", "/actuator/prometheus" }) {
			assertThat(this.api.get(path).headers().firstValue("Cache-Control")).as(path).hasValue("no-store");
		}
	}

	@Test
	void exposesBuildAndGitInfo() {
		String info = this.api.get("/actuator/info").body();
		assertThat(info).contains("\"build\":{").contains("\"artifact\":\"visitor-counter\"");
		assertThat(info).contains("\"git\":{");
	}

	@Test
	void countsRegistrationsByCounterAndOutcomeForPrometheus() {
		String counter = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
		String path = "/api/visitors/" + counter;
		String returning = UUID.randomUUID().toString();
		this.api.post(path, visit(returning));
		this.api.post(path, visit(UUID.randomUUID().toString()));
		this.api.post(path, visit(UUID.randomUUID().toString()));
		this.api.post(path, visit(UUID.randomUUID().toString()));
		this.api.post(path, visit(returning));
		this.api.post(path, visit(UUID.randomUUID().toString()), "User-Agent", "Googlebot/2.1");
		HttpResponse<String> refused = this.api.post(path, visit(UUID.randomUUID().toString()));
		assertThat(refused.statusCode()).isEqualTo(429);
		this.api.post(path, visit(UUID.randomUUID().toString()));

		HttpResponse<String> scrape = this.api.get("/actuator/prometheus");
		assertThat(scrape.statusCode()).isEqualTo(200);
		String metrics = scrape.body();
		assertThat(metrics).contains("visitors_registrations_total{counter=\"" + counter + "\",outcome=\"new\"} 3.0")
			.contains("visitors_registrations_total{counter=\"" + counter + "\",outcome=\"new-visitor-cap\"} 1.0")
			.contains("visitors_registrations_total{counter=\"" + counter + "\",outcome=\"returning\"} 1.0")
			.contains("visitors_registrations_total{counter=\"" + counter + "\",outcome=\"bot\"} 1.0")
			.contains("visitors_rate_limit_rejections_total{counter=\"" + counter + "\",source=\"redis\"} 1.0")
			.contains("visitors_rate_limit_rejections_total{counter=\"" + counter + "\",source=\"memory\"} 1.0")
			.contains("visitors_script_latency_seconds_count")
			.contains("http_server_requests_seconds_count{")
			.contains("lettuce_command_completion_seconds_count{")
			.doesNotContain(returning);
		// The in-flight request timer is left out: it costs more than it tells
		// (BENCHMARKS.md).
		assertThat(metrics).doesNotContain("http_server_requests_active");
		assertThat(metrics.lines().filter((line) -> line.startsWith("visitors_")))
			.noneMatch((line) -> line.contains("127.0.0.1"));
	}

	@Test
	void revealsNotWhereRedisIs() {
		this.api.post("/api/visitors", visit(UUID.randomUUID().toString()));
		String metrics = this.api.get("/actuator/prometheus").body();
		assertThat(metrics).contains("lettuce_command_completion_seconds_count{");
		RedisServer redis = RedisServer.shared();
		assertThat(metrics).doesNotContain(redis.host())
			.doesNotContain(":" + redis.port())
			.doesNotContainPattern("remote=|local=");
	}

}
