package io.github.visitorcounter.visitor;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.DirectRedis;
import io.github.visitorcounter.testing.Interval;
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

import static io.github.visitorcounter.testing.OutageAssertions.assertEachAnsweredWithin;
import static io.github.visitorcounter.testing.OutageAssertions.assertUnavailableOnlyAround;
import static io.github.visitorcounter.testing.Sleep.sleep;
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

	@RegisterExtension
	static final RedisServer redis = RedisServer.start(RedisServer.Options.plain());

	private final ApiClient api;

	RedisFaultsUnderLoadTests(@LocalServerPort int port) {
		this.api = new ApiClient(port);
	}

	@Test
	void answersEveryRequestFastWhileRedisIsFrozenForTenSecondsAndRecoversWithinFive() {
		String counter = "frozen";

		Freeze freeze = freezeRedisForTenSecondsUnderLoad(counter);

		assertEachAnsweredWithin(FAST, freeze.outcomes());
		// A request sent during the freeze times out after 1 s: about 8 clients x 10 s.
		assertThat(freeze.unavailable()).as("requests answered 503 during the freeze").hasSizeGreaterThan(30);
		assertUnavailableOnlyAround("freeze", freeze.interval(), freeze.outcomes());
		assertStaticFilesAnsweredFastThroughout(freeze);
		assertHealthAnsweredFastAndDownDuringTheFreeze(freeze.health());
		assertCountIsTheDedupeKeysWithEveryAcknowledgedVisitor(counter, freeze.outcomes());
		report(freeze);
	}

	@Test
	void neverFailsWithNoScriptAfterScriptFlushOrRestart() {
		String counter = "noscript";

		Flushes flushes = flushTheScriptCacheThenRestartRedisUnderLoad(counter);

		// The flushes did make EVALSHA fail: the application answered those with EVAL.
		assertThat(flushes.errorStats()).contains("errorstat_NOSCRIPT");
		assertThat(flushes.beforeRestart()).as("answers while the script cache was flushed")
			.allSatisfy((outcome) -> assertThat(outcome.status()).as("status of %s", outcome).isEqualTo(200));
		assertEachAnsweredWithin(FAST, flushes.outcomes());
		assertUnavailableOnlyAround("restart", flushes.restart(), flushes.outcomes());
		try (DirectRedis direct = new DirectRedis(redis)) {
			// The restarted Redis started empty (no persistence): every count is new.
			assertThat(direct.counter(counter)).isEqualTo(direct.seenVisitors(counter)).isPositive();
		}
		report(flushes);
	}

	@Test
	void neverCountsAVisitorTwiceWhileItsConnectionIsKilledRepeatedly() {
		String counter = "client-kill";
		List<Outcome> outcomes;
		long killed = 0;
		try (VisitLoad load = VisitLoad.start(this.api, "/api/visitors/" + counter, 8, Duration.ofMillis(2));
				DirectRedis direct = new DirectRedis(redis)) {
			load.awaitCount(50, Outcome::ok, Duration.ofSeconds(20));
			for (int round = 0; round < 20; round++) {
				// SKIPME yes (the default): only the application's connections.
				killed += direct.commands().clientKill(KillArgs.Builder.typeNormal());
				sleep(Duration.ofMillis(200));
			}
			long lastKill = System.nanoTime();
			load.awaitCount(50, (outcome) -> outcome.okSentAfter(lastKill), Duration.ofSeconds(10));
			outcomes = load.stop();
		}
		assertThat(killed).as("connections killed").isGreaterThanOrEqualTo(10);
		assertEachAnsweredWithin(FAST, outcomes);
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

	/**
	 * Once the load runs, freezes Redis for ten seconds while static files and health are
	 * probed, and waits up to five seconds after the thaw for a success.
	 */
	private Freeze freezeRedisForTenSecondsUnderLoad(String counter) {
		try (VisitLoad load = VisitLoad.start(this.api, "/api/visitors/" + counter, 8, Duration.ofMillis(20));
				Probe staticProbe = new Probe(this.api, "/visitor-counter.js", Duration.ofMillis(100));
				Probe healthProbe = new Probe(this.api, "/actuator/health", Duration.ofMillis(500))) {
			load.awaitCount(50, Outcome::ok, Duration.ofSeconds(20));
			Interval freeze = Interval.of(() -> redis.whileFrozen(() -> sleep(Duration.ofSeconds(10))));
			await().atMost(Duration.ofSeconds(5))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> load.count((outcome) -> outcome.okSentAfter(freeze.endedNanos())) > 0);
			sleep(Duration.ofSeconds(1));
			List<Timed> staticFiles = staticProbe.stop();
			List<Timed> health = healthProbe.stop();
			return new Freeze(load.stop(), staticFiles, health, freeze);
		}
	}

	/**
	 * Once the load runs, flushes the script cache six times, then restarts Redis and
	 * waits for a hundred successes after the restart.
	 */
	private Flushes flushTheScriptCacheThenRestartRedisUnderLoad(String counter) {
		try (VisitLoad load = VisitLoad.start(this.api, "/api/visitors/" + counter, 8, Duration.ofMillis(5));
				DirectRedis direct = new DirectRedis(redis)) {
			load.awaitCount(50, Outcome::ok, Duration.ofSeconds(20));
			direct.commands().configResetstat();
			for (int flush = 0; flush < 6; flush++) {
				direct.commands().scriptFlush();
				sleep(Duration.ofMillis(300));
			}
			String errorStats = direct.commands().info("errorstats");
			List<Outcome> beforeRestart = load.outcomes();
			Interval restart = Interval.of(redis::restart);
			load.awaitCount(100, (outcome) -> outcome.okSentAfter(restart.endedNanos()), Duration.ofSeconds(10));
			return new Flushes(load.stop(), beforeRestart, errorStats, restart);
		}
	}

	private static void assertStaticFilesAnsweredFastThroughout(Freeze freeze) {
		List<Timed> duringFreeze = freeze.staticFiles()
			.stream()
			.filter((probe) -> probe.startedNanos() > freeze.interval().beganNanos()
					&& probe.startedNanos() < freeze.interval().endedNanos())
			.toList();
		assertThat(duringFreeze).as("static file requests during the freeze").hasSizeGreaterThan(20);
		assertThat(freeze.staticFiles()).allSatisfy((probe) -> {
			assertThat(probe.status()).as("static file status").isEqualTo(200);
			assertThat(probe.took()).as("static file answer time").isLessThan(STATIC_FAST);
		});
	}

	private static void assertHealthAnsweredFastAndDownDuringTheFreeze(List<Timed> health) {
		assertThat(health).allSatisfy((probe) -> {
			assertThat(probe.status()).as("health status").isIn(200, 503);
			assertThat(probe.took()).as("health answer time").isLessThan(FAST);
		});
		assertThat(health).as("health checks during the freeze")
			.anySatisfy((probe) -> assertThat(probe.status()).isEqualTo(503));
	}

	private static void assertCountIsTheDedupeKeysWithEveryAcknowledgedVisitor(String counter, List<Outcome> outcomes) {
		try (DirectRedis direct = new DirectRedis(redis)) {
			assertThat(direct.counter(counter)).isEqualTo(direct.seenVisitors(counter))
				.isGreaterThanOrEqualTo(VisitLoad.newVisitorsAcknowledged(outcomes));
		}
	}

	private static void report(Freeze freeze) {
		System.out.printf(
				"Frozen 10 s: %d requests, %d answered 503 (slowest %d ms), static file slowest %d ms, "
						+ "first success %d ms after SIGCONT%n",
				freeze.outcomes().size(), freeze.unavailable().size(), slowest(freeze.outcomes()).toMillis(),
				freeze.staticFiles().stream().map(Timed::took).max(Duration::compareTo).orElseThrow().toMillis(),
				freeze.recovery().toMillis());
	}

	private static void report(Flushes flushes) {
		System.out.printf("SCRIPT FLUSH x6 and a restart: %d requests, %d answered 503, NOSCRIPT errors: %s%n",
				flushes.outcomes().size(), flushes.outcomes().stream().filter(Outcome::storageUnavailable).count(),
				flushes.errorStats()
					.lines()
					.filter((line) -> line.startsWith("errorstat_NOSCRIPT"))
					.findFirst()
					.orElse(""));
	}

	private static Duration slowest(List<Outcome> outcomes) {
		return outcomes.stream().map(Outcome::took).max(Duration::compareTo).orElse(Duration.ZERO);
	}

	/**
	 * A ten-second freeze under load: the visits' outcomes, the probes', and from when
	 * Redis was frozen until it was thawed.
	 */
	private record Freeze(List<Outcome> outcomes, List<Timed> staticFiles, List<Timed> health, Interval interval) {

		List<Outcome> unavailable() {
			return this.outcomes.stream().filter(Outcome::storageUnavailable).toList();
		}

		/** From the thaw to the end of the first success sent after it. */
		Duration recovery() {
			return Duration.ofNanos(this.outcomes.stream()
				.filter((outcome) -> outcome.okSentAfter(this.interval.endedNanos()))
				.mapToLong(Outcome::endedNanos)
				.min()
				.orElseThrow() - this.interval.endedNanos());
		}

	}

	/**
	 * Script cache flushes and a restart under load: every outcome, those before the
	 * restart, Redis's error statistics after the flushes, and the restart.
	 */
	private record Flushes(List<Outcome> outcomes, List<Outcome> beforeRestart, String errorStats, Interval restart) {

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
					sleep(interval);
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
