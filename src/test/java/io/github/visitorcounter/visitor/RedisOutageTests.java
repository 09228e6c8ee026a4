package io.github.visitorcounter.visitor;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.RedisServer;
import io.github.visitorcounter.testing.WithoutLimits;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static io.github.visitorcounter.testing.OutageAssertions.answeredWithin;
import static io.github.visitorcounter.testing.OutageAssertions.assertStorageUnavailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Redis this test owns, stopped and frozen under the running application: the API
 * answers 503 fast and recovers by itself.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
@WithoutLimits
@DirtiesContext
class RedisOutageTests {

	private static final Duration FAST = Duration.ofSeconds(2);

	@RegisterExtension
	static final RedisServer redis = RedisServer.start(RedisServer.Options.plain());

	private final ApiClient api;

	RedisOutageTests(@LocalServerPort int port) {
		this.api = new ApiClient(port);
	}

	@BeforeEach
	void awaitRedisAfterThePreviousTest() {
		// A previous test may have just restarted Redis: wait until the app is connected
		// again.
		this.api.awaitStorageReachable();
	}

	@Test
	void answersServiceUnavailableFastWhileRedisIsDownAndRecoversByItself() {
		redis.whileStopped(() -> {
			assertServiceUnavailableFast(() -> this.api.post("/api/visitors", visit(UUID.randomUUID().toString())));
			assertServiceUnavailableFast(() -> this.api.get("/api/visitors/never-read"));
			assertServiceUnavailableFast(() -> this.api.get("/api/visitors/never-read/stats?days=365"));
			assertServiceUnavailableFast(() -> this.api.get("/api/visitors/never-read/badge.svg"));
			assertThat(this.api.get("/actuator/health").statusCode()).isEqualTo(503);
			assertThat(this.api.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
			assertThat(this.api.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
		});
		String visitor = UUID.randomUUID().toString();
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.api.post("/api/visitors/after-restart", visit(visitor)).statusCode() == 200);
		assertThat(this.api.get("/api/visitors/after-restart").body()).contains("\"count\":1");
	}

	@Test
	void healthPolledThroughAnOutageLogsOneLineEachWayAndNoStackTrace(CapturedOutput output) {
		int before = output.getOut().length();
		redis.whileStopped(() -> {
			// Lettuce learns of the closed connection a moment after Redis stops; until
			// then the last healthy answer stands.
			await().atMost(FAST).until(() -> this.api.get("/actuator/health/readiness").statusCode() == 503);
			for (int i = 0; i < 10; i++) {
				assertThat(this.api.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
				assertThat(this.api.get("/actuator/health").statusCode()).isEqualTo(503);
			}
			// A cache that kept the 503 would hold the instance out after Redis is back.
			assertThat(this.api.get("/actuator/health/readiness").headers().firstValue("Cache-Control"))
				.hasValue("no-store");
		});
		this.api.awaitStorageReachable();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.api.get("/actuator/health/readiness").statusCode() == 200);
		String logged = output.getOut().substring(before);
		assertThat(logged.lines().filter((line) -> line.contains("Redis health: DOWN"))).hasSize(1);
		assertThat(logged.lines().filter((line) -> line.contains("Redis health: UP"))).hasSize(1);
		assertThat(logged).doesNotContain("\tat ").doesNotContain("health check failed");
	}

	@Test
	void servesTheLastKnownCountMarkedStaleWhileRedisIsDown() {
		this.api.post("/api/visitors", visit(UUID.randomUUID().toString()));
		String fresh = this.api.get("/api/visitors").body();
		redis.whileStopped(() -> {
			HttpResponse<String> stale = this.api.get("/api/visitors");
			assertThat(stale.statusCode()).isEqualTo(200);
			assertThat(stale.body()).isEqualTo(fresh.replace("}", ",\"stale\":true}"));
			assertServiceUnavailableFast(() -> this.api.get("/api/visitors/never-read-before"));
		});
	}

	@Test
	void answersServiceUnavailableFastWhileRedisHangs() {
		redis.whileFrozen(() -> {
			assertServiceUnavailableFast(() -> this.api.post("/api/visitors", visit(UUID.randomUUID().toString())));
			assertServiceUnavailableFast(() -> this.api.get("/api/visitors/never-read"));
			assertServiceUnavailableFast(() -> this.api.get("/api/visitors/never-read/stats?days=365"));
		});
		this.api.awaitStorageReachable();
	}

	private static void assertServiceUnavailableFast(Supplier<HttpResponse<String>> call) {
		assertStorageUnavailable(answeredWithin(FAST, call));
	}

}
