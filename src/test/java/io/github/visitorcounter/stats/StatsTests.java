package io.github.visitorcounter.stats;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.MutableClock;
import io.github.visitorcounter.testing.RedisMonitor;
import io.github.visitorcounter.testing.RedisServer;
import io.github.visitorcounter.testing.WithoutLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.core.RedisCallback;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Daily uniques end to end: visits over simulated days (an injected clock), read back
 * through the stats endpoint and compared with the exact distinct counts.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@WithoutLimits
@Import(StatsTests.SimulatedDays.class)
class StatsTests extends ApiTestSupport {

	/**
	 * Redis's HyperLogLog has a standard error of 0.81%; four standard errors make the
	 * test fail only when something is wrong, not by chance.
	 */
	private static final double HYPERLOGLOG_BOUND = 4 * 0.0081;

	private static final Instant MARCH_1 = Instant.parse("2025-03-01T12:00:00Z");

	@Autowired
	private MutableClock clock;

	@Autowired
	private JsonMapper json;

	@Test
	void reportsDailyUniquesAndTrueUnionsOverSimulatedDays() {
		this.clock.set(MARCH_1);
		List<Set<String>> visitorsByDay = new ArrayList<>();
		// Ten days: each day 100 returning regulars (the same ids every day) and 30-120
		// newcomers, so that sums of days and unions differ a lot.
		for (int day = 0; day < 10; day++) {
			Set<String> visitors = new HashSet<>();
			for (int i = 0; i < 100; i++) {
				visitors.add("regular-visitor-" + i + "-000000");
			}
			for (int i = 0; i < 30 + day * 10; i++) {
				visitors.add("newcomer-day" + day + "-visitor-" + i);
			}
			visitors.forEach(
					(id) -> assertThat(this.api.post("/api/visitors/blog", visit(id)).statusCode()).isEqualTo(200));
			visitorsByDay.add(visitors);
			if (day < 9) {
				this.clock.advance(Duration.ofDays(1));
			}
		}
		JsonNode stats = stats("/api/visitors/blog/stats?days=14");

		assertThat(stats.get("counter").asString()).isEqualTo("blog");
		assertThat(stats.get("total").asLong()).isEqualTo(union(visitorsByDay, 10));
		assertApproximately(stats.get("today").asLong(), visitorsByDay.get(9).size());
		assertApproximately(stats.get("last7Days").asLong(), union(visitorsByDay, 7));
		assertApproximately(stats.get("last30Days").asLong(), union(visitorsByDay, 10));
		assertThat(stats.get("last7Days").asLong()).isLessThan(sum(visitorsByDay, 7));
		JsonNode daily = stats.get("daily");
		assertThat(daily).hasSize(14);
		assertThat(daily.get(0).get("date").asString()).isEqualTo("2025-02-25");
		assertThat(daily.get(13).get("date").asString()).isEqualTo("2025-03-10");
		for (int i = 0; i < 4; i++) {
			assertThat(daily.get(i).get("visitors").asLong()).isZero();
		}
		for (int day = 0; day < 10; day++) {
			assertApproximately(daily.get(4 + day).get("visitors").asLong(), visitorsByDay.get(day).size());
		}
	}

	@Test
	void keepsEachDayForAbout400Days() {
		this.clock.set(MARCH_1);
		this.api.post("/api/visitors", visit("0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a"));
		Long ttl = this.redis.getExpire("visitors:{default}:day:2025-03-01");
		assertThat(ttl).isBetween(Duration.ofDays(400).toSeconds() - 60, Duration.ofDays(400).toSeconds());
	}

	@Test
	void defaultsToThirtyDaysOnTheBarePath() {
		this.clock.set(MARCH_1);
		this.api.post("/api/visitors", visit("0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a"));
		JsonNode stats = stats("/api/visitors/stats");
		assertThat(stats.get("counter").asString()).isEqualTo("default");
		assertThat(stats.get("daily")).hasSize(30);
		assertThat(stats.get("today").asLong()).isOne();
		assertThat(stats.get("total").asLong()).isOne();
	}

	@Test
	void refusesAnInvalidNumberOfDaysOrCounter() {
		for (String path : List.of("/api/visitors/blog/stats?days=0", "/api/visitors/blog/stats?days=366",
				"/api/visitors/blog/stats?days=ten", "/api/visitors/Blog/stats")) {
			var response = this.api.get(path);
			assertThat(response.statusCode()).as(path).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json");
			assertThat(response.body()).as(path).contains("urn:visitor-counter:problem:invalid-request");
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 7, 30, 31, 365 })
	void costsOneCommandOnTheSharedConnectionWhateverTheNumberOfDays(int days) throws Exception {
		this.clock.set(MARCH_1);
		this.api.post("/api/visitors/costly", visit("0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a"));
		stats("/api/visitors/warm-up/stats?days=" + days);
		long connectionsBefore = connectionsReceived();
		RedisServer redisServer = RedisServer.shared();
		try (RedisMonitor monitor = new RedisMonitor(redisServer.host(), redisServer.port())) {
			for (int i = 0; i < 3; i++) {
				JsonNode stats = stats("/api/visitors/costly-" + i + "/stats?days=" + days);
				assertThat(stats.get("daily")).hasSize(days);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> monitor.clientCommands().size() >= 3);
			assertThat(monitor.clientCommands()).containsExactly("evalsha", "evalsha", "evalsha");
		}
		assertThat(connectionsReceived()).as("connections opened by the reads").isEqualTo(connectionsBefore + 1);
	}

	/** Connections Redis accepted so far, the monitor's own included. */
	private long connectionsReceived() {
		Properties stats = this.redis
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("stats"));
		return Long.parseLong(stats.getProperty("total_connections_received"));
	}

	private JsonNode stats(String path) {
		var response = this.api.get(path);
		assertThat(response.statusCode()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private static long union(List<Set<String>> visitorsByDay, int lastDays) {
		Set<String> union = new HashSet<>();
		visitorsByDay.subList(visitorsByDay.size() - lastDays, visitorsByDay.size()).forEach(union::addAll);
		return union.size();
	}

	private static long sum(List<Set<String>> visitorsByDay, int lastDays) {
		return visitorsByDay.subList(visitorsByDay.size() - lastDays, visitorsByDay.size())
			.stream()
			.mapToLong(Set::size)
			.sum();
	}

	private static void assertApproximately(long estimate, long exact) {
		assertThat((double) estimate).isCloseTo(exact, within(Math.max(1, exact * HYPERLOGLOG_BOUND)));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class SimulatedDays {

		@Bean
		@Primary
		MutableClock simulatedClock() {
			return new MutableClock(MARCH_1);
		}

	}

}
