package io.github.visitorcounter.system;

import java.time.Duration;
import java.util.List;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.BlackholeProxy;
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

	@LocalServerPort
	private int port;

	@Test
	void findsASilentlyDeadConnectionAndReconnectsWithinFortySeconds() {
		ApiClient api = new ApiClient(this.port);
		List<Outcome> outcomes;
		long blackholedAt;
		long healedAt;
		VisitLoad load = VisitLoad.start(api, "/api/visitors/blackhole", 8, Duration.ofMillis(20));
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> load.count(Outcome::ok) >= 30);
			blackholedAt = System.nanoTime();
			proxy.blackhole();
			sleep(Duration.ofSeconds(2));
			// New connections get through from now on; the application's stay dead.
			healedAt = System.nanoTime();
			proxy.heal();
			await().atMost(RECOVERY.plusSeconds(10))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> load.count((outcome) -> outcome.ok() && outcome.startedNanos() > healedAt) > 0);
			sleep(Duration.ofSeconds(1));
		}
		finally {
			outcomes = load.stop();
		}
		long firstSuccess = outcomes.stream()
			.filter((outcome) -> outcome.ok() && outcome.startedNanos() > healedAt)
			.mapToLong(Outcome::endedNanos)
			.min()
			.orElseThrow();
		Duration recovered = Duration.ofNanos(firstSuccess - blackholedAt);
		Duration reconnected = Duration.ofNanos(
				proxy.acceptedNanos().stream().filter((accepted) -> accepted > blackholedAt).findFirst().orElseThrow()
						- blackholedAt);
		System.out.printf(
				"Black hole: %d requests, %d answered 503 (slowest %d ms), new connection after %d ms, "
						+ "first success after %d ms%n",
				outcomes.size(), outcomes.stream().filter(Outcome::storageUnavailable).count(),
				outcomes.stream().map(Outcome::took).max(Duration::compareTo).orElseThrow().toMillis(),
				reconnected.toMillis(), recovered.toMillis());
		assertThat(outcomes).allSatisfy((outcome) -> {
			assertThat(outcome.ok() || outcome.storageUnavailable()).as("200 or 503 storage-unavailable: %s", outcome)
				.isTrue();
			assertThat(outcome.took()).as("answer time").isLessThan(FAST);
		});
		assertThat(outcomes).as("requests answered 503 while the connection was a black hole")
			.anySatisfy((outcome) -> assertThat(outcome.storageUnavailable()).isTrue());
		assertThat(recovered).as("time from the black hole to the first success").isLessThan(RECOVERY);
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

}
