package io.github.visitorcounter.visitor;

import java.time.Duration;
import java.util.List;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.DirectRedis;
import io.github.visitorcounter.testing.RedisServer;
import io.github.visitorcounter.testing.VisitLoad;
import io.github.visitorcounter.testing.VisitLoad.Outcome;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis killed with {@code kill -9} under concurrent registrations and restarted from its
 * append-only file: the count always matches the stored dedupe keys (the registration
 * script is atomic, also in the AOF), and with {@code appendfsync always} no visitor that
 * was acknowledged as new is lost. With {@code everysec}, Redis may lose up to about a
 * second of acknowledged writes, but count and dedupe keys still agree.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "visitors.rate-limit.enabled=false", "visitors.new-visitor-cap.enabled=false" })
@DirtiesContext
class RedisCrashTests {

	/** Longest answer while Redis is down: the 1 s command timeout and some slack. */
	private static final Duration FAST = Duration.ofSeconds(3);

	/** A 503 may come this long after Redis is back: reconnect delay and timeout. */
	private static final Duration RECONNECT_MARGIN = Duration.ofSeconds(3);

	@AutoClose
	private static final RedisServer redis = RedisServer
		.start(RedisServer.Options.plain().withExtraArgs("--appendonly", "yes", "--appendfsync", "always"));

	@LocalServerPort
	private int port;

	private ApiClient api;

	@DynamicPropertySource
	static void redisUrl(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", redis::url);
	}

	@BeforeEach
	void setUp() {
		this.api = new ApiClient(this.port);
	}

	@Test
	void losesNoAcknowledgedVisitorWhenKilledWithFsyncAlways() {
		try (DirectRedis direct = new DirectRedis(redis)) {
			direct.commands().configSet("appendfsync", "always");
		}
		Crash crash = crashUnderLoad("crash-fsync-always");
		assertThat(crash.counter()).as("count").isEqualTo(crash.seenVisitors());
		assertThat(crash.counter()).as("count").isGreaterThanOrEqualTo(crash.acknowledgedNewVisitors());
	}

	@Test
	void keepsTheCountEqualToTheDedupeKeysWhenKilledWithFsyncEverySecond() {
		try (DirectRedis direct = new DirectRedis(redis)) {
			direct.commands().configSet("appendfsync", "everysec");
		}
		// Up to about a second of acknowledged registrations may be lost here: only the
		// count and the dedupe keys must still agree.
		Crash crash = crashUnderLoad("crash-fsync-everysec");
		assertThat(crash.counter()).as("count").isEqualTo(crash.seenVisitors());
	}

	private Crash crashUnderLoad(String counter) {
		VisitLoad load = VisitLoad.start(this.api, "/api/visitors/" + counter, 8, Duration.ofMillis(2));
		List<Outcome> outcomes;
		long killedAt;
		long restartedAt;
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> load.count(Outcome::newVisitor) >= 300);
			killedAt = System.nanoTime();
			redis.kill();
			sleep(Duration.ofSeconds(1));
			redis.restart();
			restartedAt = System.nanoTime();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> load.count((outcome) -> outcome.ok() && outcome.startedNanos() > restartedAt) >= 100);
		}
		finally {
			outcomes = load.stop();
		}
		assertThat(outcomes).allSatisfy((outcome) -> {
			assertThat(outcome.ok() || outcome.storageUnavailable()).as("200 or 503 storage-unavailable: %s", outcome)
				.isTrue();
			assertThat(outcome.took()).as("answer time").isLessThan(FAST);
		});
		List<Outcome> unavailable = outcomes.stream().filter(Outcome::storageUnavailable).toList();
		assertThat(unavailable).as("requests answered 503 while Redis was down").isNotEmpty();
		assertThat(unavailable).allSatisfy((outcome) -> assertThat(
				outcome.endedNanos() >= killedAt && outcome.startedNanos() <= restartedAt + RECONNECT_MARGIN.toNanos())
			.as("503 only around the outage")
			.isTrue());
		try (DirectRedis direct = new DirectRedis(redis)) {
			Crash crash = new Crash(direct.counter(counter), direct.seenVisitors(counter),
					VisitLoad.newVisitorsAcknowledged(outcomes));
			System.out.printf(
					"kill -9 (%s): %d requests, %d answered 503, %d new visitors acknowledged, "
							+ "count %d, dedupe keys %d%n",
					counter, outcomes.size(), unavailable.size(), crash.acknowledgedNewVisitors(), crash.counter(),
					crash.seenVisitors());
			return crash;
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private record Crash(long counter, long seenVisitors, long acknowledgedNewVisitors) {

	}

}
