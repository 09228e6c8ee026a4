package io.github.visitorcounter.visitor;

import java.time.Duration;
import java.util.List;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.DirectRedis;
import io.github.visitorcounter.testing.Interval;
import io.github.visitorcounter.testing.RedisServer;
import io.github.visitorcounter.testing.VisitLoad;
import io.github.visitorcounter.testing.VisitLoad.Outcome;
import io.github.visitorcounter.testing.WithoutLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static io.github.visitorcounter.testing.OutageAssertions.assertEachAnsweredWithin;
import static io.github.visitorcounter.testing.OutageAssertions.assertUnavailableOnlyAround;
import static io.github.visitorcounter.testing.Sleep.sleep;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis killed with {@code kill -9} under concurrent registrations and restarted from its
 * append-only file: the count always matches the stored dedupe keys (the registration
 * script is atomic, also in the AOF), and with {@code appendfsync always} no visitor that
 * was acknowledged as new is lost. With {@code everysec}, Redis may lose up to about a
 * second of acknowledged writes, but count and dedupe keys still agree.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@WithoutLimits
@DirtiesContext
class RedisCrashTests {

	/** Longest answer while Redis is down: the 1 s command timeout and some slack. */
	private static final Duration FAST = Duration.ofSeconds(3);

	@RegisterExtension
	static final RedisServer redis = RedisServer.start(RedisServer.Options.persisted());

	private final ApiClient api;

	RedisCrashTests(@LocalServerPort int port) {
		this.api = new ApiClient(port);
	}

	@Test
	void losesNoAcknowledgedVisitorWhenKilledWithFsyncAlways() {
		appendfsync("always");
		Crash crash = crashUnderLoad("crash-fsync-always");
		assertThat(crash.counter()).as("count").isEqualTo(crash.seenVisitors());
		assertThat(crash.counter()).as("count").isGreaterThanOrEqualTo(crash.acknowledgedNewVisitors());
	}

	@Test
	void keepsTheCountEqualToTheDedupeKeysWhenKilledWithFsyncEverySecond() {
		appendfsync("everysec");
		// Up to about a second of acknowledged registrations may be lost here: only the
		// count and the dedupe keys must still agree.
		Crash crash = crashUnderLoad("crash-fsync-everysec");
		assertThat(crash.counter()).as("count").isEqualTo(crash.seenVisitors());
	}

	private static void appendfsync(String policy) {
		try (DirectRedis direct = new DirectRedis(redis)) {
			direct.commands().configSet("appendfsync", policy);
		}
	}

	/**
	 * Kills Redis under load, restarts it a second later, checks every answer, and
	 * returns what Redis kept of the counter.
	 */
	private Crash crashUnderLoad(String counter) {
		List<Outcome> outcomes;
		Interval outage;
		try (VisitLoad load = VisitLoad.start(this.api, "/api/visitors/" + counter, 8, Duration.ofMillis(2))) {
			load.awaitCount(300, Outcome::newVisitor, Duration.ofSeconds(20));
			outage = Interval.of(() -> {
				redis.kill();
				sleep(Duration.ofSeconds(1));
				redis.restart();
			});
			load.awaitCount(100, (outcome) -> outcome.okSentAfter(outage.endedNanos()), Duration.ofSeconds(10));
			outcomes = load.stop();
		}
		assertEachAnsweredWithin(FAST, outcomes);
		List<Outcome> unavailable = outcomes.stream().filter(Outcome::storageUnavailable).toList();
		assertThat(unavailable).as("requests answered 503 while Redis was down").isNotEmpty();
		assertUnavailableOnlyAround("outage", outage, outcomes);
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

	private record Crash(long counter, long seenVisitors, long acknowledgedNewVisitors) {

	}

}
