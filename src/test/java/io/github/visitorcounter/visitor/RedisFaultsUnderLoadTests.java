package io.github.visitorcounter.visitor;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.DirectRedis;
import io.github.visitorcounter.testing.RedisServer;
import io.github.visitorcounter.testing.VisitLoad;
import io.github.visitorcounter.testing.VisitLoad.Outcome;
import io.github.visitorcounter.testing.WithoutLimits;
import io.lettuce.core.KillArgs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redis misbehaving under concurrent registrations, on a Redis this test owns: frozen,
 * its script cache flushed, restarted, its client connections killed again and again. The
 * API answers every request quickly, with 200 or a 503 problem only while Redis cannot
 * answer, comes back by itself, and never counts a visitor twice.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@WithoutLimits
@DirtiesContext
class RedisFaultsUnderLoadTests {

	/** Longest answer while Redis does not answer: the 1 s command timeout and slack. */
	private static final Duration FAST = Duration.ofSeconds(3);

	/** Longest answer for a static file, which never needs Redis. */
	private static final Duration STATIC_FAST = Duration.ofSeconds(1);

	/** A 503 may come this long after Redis is back: reconnect delay and timeout. */
	private static final Duration RECONNECT_MARGIN = Duration.ofSeconds(3);

	@RegisterExtension
	static final RedisServer redis = RedisServer.start(RedisServer.Options.plain());

	private final ApiClient api;

	RedisFaultsUnderLoadTests(@LocalServerPort int port) {
		this.api = new ApiClient(port);
	}

	@Test
	void answersEveryRequestFastWhileRedisIsFrozenForTenSecondsAndRecoversWithinFive() {
		String counter = "frozen";
		List<Timed> staticFiles;
		List<Timed> health;
		List<Outcome> outcomes;
		long frozenAt;
		long thawedAt;
		Duration recovery;
		VisitLoad load = VisitLoad.start(this.api, "/api/visitors/" + counter, 8, Duration.ofMillis(20));
		try (Probe staticProbe = new Probe(this.api, "/visitor-counter.js", Duration.ofMillis(100));
				Probe healthProbe = new Probe(this.api, "/actuator/health", Duration.ofMillis(500))) {
			await().atMost(Duration.ofSeconds(20)).until(() -> load.count(Outcome::ok) >= 50);
			frozenAt = System.nanoTime();
			redis.freeze();
			try {
				sleep(Duration.ofSeconds(10));
			}
			finally {
				redis.thaw();
			}
			thawedAt = System.nanoTime();
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> load.count((outcome) -> outcome.ok() && outcome.startedNanos() > thawedAt) > 0);
			recovery = Duration.ofNanos(load.outcomes()
				.stream()
				.filter((outcome) -> outcome.ok() && outcome.startedNanos() > thawedAt)
				.mapToLong(Outcome::endedNanos)
				.min()
				.orElseThrow() - thawedAt);
			sleep(Duration.ofSeconds(1));
			staticFiles = staticProbe.stop();
			health = healthProbe.stop();
		}
		finally {
			outcomes = load.stop();
		}
		assertAnsweredFastWith200Or503(outcomes);
		List<Outcome> unavailable = outcomes.stream().filter(Outcome::storageUnavailable).toList();
		// A request sent during the freeze times out after 1 s: about 8 clients x 10 s.
		assertThat(unavailable).as("requests answered 503 during the freeze").hasSizeGreaterThan(30);
		assertThat(unavailable).allSatisfy((outcome) -> assertThat(
				outcome.endedNanos() >= frozenAt && outcome.startedNanos() <= thawedAt + RECONNECT_MARGIN.toNanos())
			.as("503 only around the freeze")
			.isTrue());
		List<Timed> staticDuringFreeze = staticFiles.stream()
			.filter((probe) -> probe.startedNanos() > frozenAt && probe.startedNanos() < thawedAt)
			.toList();
		assertThat(staticDuringFreeze).as("static file requests during the freeze").hasSizeGreaterThan(20);
		assertThat(staticFiles).allSatisfy((probe) -> {
			assertThat(probe.status()).as("static file status").isEqualTo(200);
			assertThat(probe.took()).as("static file answer time").isLessThan(STATIC_FAST);
		});
		assertThat(health).allSatisfy((probe) -> {
			assertThat(probe.status()).as("health status").isIn(200, 503);
			assertThat(probe.took()).as("health answer time").isLessThan(FAST);
		});
		assertThat(health).as("health checks during the freeze")
			.anySatisfy((probe) -> assertThat(probe.status()).isEqualTo(503));
		try (DirectRedis direct = new DirectRedis(redis)) {
			assertThat(direct.counter(counter)).isEqualTo(direct.seenVisitors(counter))
				.isGreaterThanOrEqualTo(VisitLoad.newVisitorsAcknowledged(outcomes));
		}
		System.out.printf(
				"Frozen 10 s: %d requests, %d answered 503 (slowest %d ms), static file slowest %d ms, "
						+ "first success %d ms after SIGCONT%n",
				outcomes.size(), unavailable.size(), slowest(outcomes).toMillis(),
				staticFiles.stream().map(Timed::took).max(Duration::compareTo).orElseThrow().toMillis(),
				recovery.toMillis());
	}

	@Test
	void neverFailsWithNoScriptAfterScriptFlushOrRestart() {
		String counter = "noscript";
		List<Outcome> outcomes;
		List<Outcome> beforeRestart;
		long stoppedAt;
		long restartedAt;
		String errorStats;
		VisitLoad load = VisitLoad.start(this.api, "/api/visitors/" + counter, 8, Duration.ofMillis(5));
		try (DirectRedis direct = new DirectRedis(redis)) {
			await().atMost(Duration.ofSeconds(20)).until(() -> load.count(Outcome::ok) >= 50);
			direct.commands().configResetstat();
			for (int flush = 0; flush < 6; flush++) {
				direct.commands().scriptFlush();
				sleep(Duration.ofMillis(300));
			}
			errorStats = direct.commands().info("errorstats");
			beforeRestart = load.outcomes();
			stoppedAt = System.nanoTime();
			redis.restart();
			restartedAt = System.nanoTime();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> load.count((outcome) -> outcome.ok() && outcome.startedNanos() > restartedAt) >= 100);
		}
		finally {
			outcomes = load.stop();
		}
		// The flushes did make EVALSHA fail: the application answered those with EVAL.
		assertThat(errorStats).contains("errorstat_NOSCRIPT");
		assertThat(beforeRestart).as("answers while the script cache was flushed").allSatisfy((outcome) -> {
			assertThat(outcome.status()).as("status of %s", outcome).isEqualTo(200);
		});
		assertAnsweredFastWith200Or503(outcomes);
		assertThat(outcomes).filteredOn(Outcome::storageUnavailable)
			.allSatisfy((outcome) -> assertThat(outcome.endedNanos() >= stoppedAt
					&& outcome.startedNanos() <= restartedAt + RECONNECT_MARGIN.toNanos())
				.as("503 only around the restart")
				.isTrue());
		try (DirectRedis direct = new DirectRedis(redis)) {
			// The restarted Redis started empty (no persistence): every count is new.
			assertThat(direct.counter(counter)).isEqualTo(direct.seenVisitors(counter)).isPositive();
		}
		System.out.printf("SCRIPT FLUSH x6 and a restart: %d requests, %d answered 503, NOSCRIPT errors: %s%n",
				outcomes.size(), outcomes.stream().filter(Outcome::storageUnavailable).count(),
				errorStats.lines().filter((line) -> line.startsWith("errorstat_NOSCRIPT")).findFirst().orElse(""));
	}

	@Test
	void neverCountsAVisitorTwiceWhileItsConnectionIsKilledRepeatedly() {
		String counter = "client-kill";
		List<Outcome> outcomes;
		long killed = 0;
		VisitLoad load = VisitLoad.start(this.api, "/api/visitors/" + counter, 8, Duration.ofMillis(2));
		try (DirectRedis direct = new DirectRedis(redis)) {
			await().atMost(Duration.ofSeconds(20)).until(() -> load.count(Outcome::ok) >= 50);
			for (int round = 0; round < 20; round++) {
				// SKIPME yes (the default): only the application's connections.
				killed += direct.commands().clientKill(KillArgs.Builder.typeNormal());
				sleep(Duration.ofMillis(200));
			}
			long lastKill = System.nanoTime();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> load.count((outcome) -> outcome.ok() && outcome.startedNanos() > lastKill) >= 50);
		}
		finally {
			outcomes = load.stop();
		}
		assertThat(killed).as("connections killed").isGreaterThanOrEqualTo(10);
		assertAnsweredFastWith200Or503(outcomes);
		long acknowledged = VisitLoad.newVisitorsAcknowledged(outcomes);
		try (DirectRedis direct = new DirectRedis(redis)) {
			long count = direct.counter(counter);
			assertThat(count).as("count").isEqualTo(direct.seenVisitors(counter));
			assertThat(count).as("count").isGreaterThanOrEqualTo(acknowledged);
			System.out.printf(
					"CLIENT KILL x20: %d connections killed, %d requests, %d answered 503, "
							+ "%d new visitors acknowledged, count %d%n",
					killed, outcomes.size(), outcomes.stream().filter(Outcome::storageUnavailable).count(),
					acknowledged, count);
		}
	}

	private static void assertAnsweredFastWith200Or503(List<Outcome> outcomes) {
		assertThat(outcomes).isNotEmpty().allSatisfy((outcome) -> {
			assertThat(outcome.ok() || outcome.storageUnavailable()).as("200 or 503 storage-unavailable: %s", outcome)
				.isTrue();
			assertThat(outcome.took()).as("answer time").isLessThan(FAST);
		});
	}

	private static Duration slowest(List<Outcome> outcomes) {
		return outcomes.stream().map(Outcome::took).max(Duration::compareTo).orElse(Duration.ZERO);
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

	/** A {@code GET} answered with this status after this long. */
	private record Timed(long startedNanos, int status, Duration took) {

	}

	/** {@code GET}s one path in a loop, recording the status and answer time of each. */
	private static final class Probe implements AutoCloseable {

		private final ConcurrentLinkedQueue<Timed> results = new ConcurrentLinkedQueue<>();

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final Thread thread;

		Probe(ApiClient api, String path, Duration interval) {
			this.thread = new Thread(() -> {
				while (this.running.get()) {
					long started = System.nanoTime();
					int status;
					try {
						HttpResponse<String> response = api.get(path);
						status = response.statusCode();
					}
					catch (RuntimeException ex) {
						status = 0;
					}
					this.results.add(new Timed(started, status, Duration.ofNanos(System.nanoTime() - started)));
					RedisFaultsUnderLoadTests.sleep(interval);
				}
			}, "probe " + path);
			this.thread.setDaemon(true);
			this.thread.start();
		}

		List<Timed> stop() {
			this.running.set(false);
			try {
				this.thread.join(Duration.ofSeconds(15).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return List.copyOf(this.results);
		}

		@Override
		public void close() {
			stop();
		}

	}

}
