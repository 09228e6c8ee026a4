package io.github.visitorcounter.system;

import java.time.Duration;
import java.util.List;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.BlackholeProxy;
import io.github.visitorcounter.testing.Interval;
import io.github.visitorcounter.testing.RedisServer;
import io.github.visitorcounter.testing.VisitLoad;
import io.github.visitorcounter.testing.VisitLoad.Outcome;
import io.github.visitorcounter.testing.WithoutLimits;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static io.github.visitorcounter.testing.OutageAssertions.assertEachAnsweredWithin;
import static io.github.visitorcounter.testing.Sleep.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application's connection to Redis silently stops carrying anything, as behind a NAT
 * gateway that lost its state: no reset, no close, just silence. Requests fail fast with
 * the command timeout meanwhile, and the client finds the connection dead through
 * {@code TCP_USER_TIMEOUT} (20 s, native epoll transport) instead of the kernel's ~15
 * minutes of retransmissions, and reconnects. The path heals for new connections only, so
 * a success proves that the application opened a new one.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@WithoutLimits
@DirtiesContext
class SilentConnectionLossTests {

	/** Longest answer while the connection is a black hole: 1 s timeout and slack. */
	private static final Duration FAST = Duration.ofSeconds(3);

	/** Longest time from the black hole until requests succeed again. */
	private static final Duration RECOVERY = Duration.ofSeconds(40);

	/** Reached by the application only through {@link #proxy}. */
	@AutoClose
	private static final RedisServer redis = RedisServer.start(RedisServer.Options.plain());

	@RegisterExtension
	static final BlackholeProxy proxy = new BlackholeProxy(redis.host(), redis.port());

	private final ApiClient api;

	SilentConnectionLossTests(@LocalServerPort int port) {
		this.api = new ApiClient(port);
	}

	@Test
	void findsASilentlyDeadConnectionAndReconnectsWithinFortySeconds() {
		BlackHole blackHole = blackholeTheConnectionUnderLoad();

		report(blackHole);
		assertEachAnsweredWithin(FAST, blackHole.outcomes());
		assertThat(blackHole.outcomes()).as("requests answered 503 while the connection was a black hole")
			.anySatisfy((outcome) -> assertThat(outcome.storageUnavailable()).isTrue());
		assertThat(blackHole.recovered()).as("time from the black hole to the first success").isLessThan(RECOVERY);
	}

	/**
	 * Once the load runs, turns the proxy into a black hole for two seconds, then lets
	 * new connections through, and waits until the application succeeds again.
	 */
	private BlackHole blackholeTheConnectionUnderLoad() {
		try (VisitLoad load = VisitLoad.start(this.api, "/api/visitors/blackhole", 8, Duration.ofMillis(20))) {
			load.awaitCount(30, Outcome::ok, Duration.ofSeconds(20));
			Interval blackHole = Interval.of(() -> {
				proxy.blackhole();
				sleep(Duration.ofSeconds(2));
			});
			// New connections get through from now on; the application's stay dead.
			proxy.heal();
			await().atMost(RECOVERY.plusSeconds(10))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> load.count((outcome) -> outcome.okSentAfter(blackHole.endedNanos())) > 0);
			sleep(Duration.ofSeconds(1));
			return new BlackHole(load.stop(), blackHole);
		}
	}

	private static void report(BlackHole blackHole) {
		List<Outcome> outcomes = blackHole.outcomes();
		System.out.printf(
				"Black hole: %d requests, %d answered 503 (slowest %d ms), new connection after %d ms, "
						+ "first success after %d ms%n",
				outcomes.size(), outcomes.stream().filter(Outcome::storageUnavailable).count(),
				outcomes.stream().map(Outcome::took).max(Duration::compareTo).orElseThrow().toMillis(),
				blackHole.reconnected().toMillis(), blackHole.recovered().toMillis());
	}

	/**
	 * A black hole under load: every request's outcome, and from when the connection was
	 * black-holed until new connections got through again.
	 */
	private record BlackHole(List<Outcome> outcomes, Interval interval) {

		/** From the black hole to the end of the first success sent after the healing. */
		Duration recovered() {
			long firstSuccess = this.outcomes.stream()
				.filter((outcome) -> outcome.okSentAfter(this.interval.endedNanos()))
				.mapToLong(Outcome::endedNanos)
				.min()
				.orElseThrow();
			return Duration.ofNanos(firstSuccess - this.interval.beganNanos());
		}

		/** From the black hole to the application's first new connection. */
		Duration reconnected() {
			long accepted = proxy.acceptedNanos()
				.stream()
				.filter((nanos) -> nanos > this.interval.beganNanos())
				.findFirst()
				.orElseThrow();
			return Duration.ofNanos(accepted - this.interval.beganNanos());
		}

	}

}
