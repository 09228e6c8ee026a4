package io.github.visitorcounter.system;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.visitorcounter.VisitorCounterApplication;
import io.github.visitorcounter.counter.CounterKeys;
import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.DirectRedis;
import io.github.visitorcounter.testing.Interval;
import io.github.visitorcounter.testing.RedisServer;
import io.github.visitorcounter.testing.VisitLoad;
import io.github.visitorcounter.testing.VisitLoad.Outcome;
import io.github.visitorcounter.testing.WithoutLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application shut down under concurrent registrations, the way SIGTERM does it
 * (closing the application context, with {@code server.shutdown=graceful}): requests in
 * flight complete with their answer, later ones find the port closed, and every visitor
 * acknowledged as new is in Redis. A request sent on an idle keep-alive connection just
 * as the server closes it gets no response at all; the server never read it, so it was
 * not counted and the client may send it again.
 */
class GracefulShutdownTests {

	@RegisterExtension
	static final RedisServer redis = RedisServer.start(RedisServer.Options.plain());

	@Test
	void completesRequestsInFlightAndLosesNoAcknowledgedVisitor() {
		String counter = "shutdown";
		ConfigurableApplicationContext application = startApplication();
		CounterKeys keys = application.getBean(CounterKeys.class);

		Shutdown shutdown = closeUnderLoad(application, counter);

		report(shutdown);
		// No 5xx, no truncated body.
		assertThat(shutdown.outcomes()).allSatisfy(
				(outcome) -> assertThat(outcome.ok() || outcome.connectionRefused() || outcome.closedBeforeResponse())
					.as("200, connection refused, or closed before any response byte: %s", outcome)
					.isTrue());
		assertThat(shutdown.refused()).as("requests refused after the shutdown").isNotEmpty().allSatisfy((outcome) -> {
			assertThat(outcome.endedNanos()).as("refused only once closing")
				.isGreaterThan(shutdown.closing().beganNanos());
		});
		assertEveryAcknowledgedVisitorCountedAndNoUnreadOne(counter, keys, shutdown);
	}

	private static ConfigurableApplicationContext startApplication() {
		return new SpringApplicationBuilder(VisitorCounterApplication.class).profiles(WithoutLimits.PROFILE)
			// As command-line arguments: they win over application.properties.
			.run("--server.port=0", "--spring.data.redis.url=" + redis.url());
	}

	private static int port(ConfigurableApplicationContext application) {
		return Integer.parseInt(application.getEnvironment().getProperty("local.server.port"));
	}

	/**
	 * Once the load runs, closes the application as SIGTERM would, and lets the load go
	 * on against the closed port for a while.
	 */
	private static Shutdown closeUnderLoad(ConfigurableApplicationContext application, String counter) {
		ApiClient api = new ApiClient(port(application));
		try (application; VisitLoad load = VisitLoad.start(api, "/api/visitors/" + counter, 8, Duration.ofMillis(2))) {
			load.awaitCount(300, Outcome::ok, Duration.ofSeconds(20));
			Interval closing = Interval.of(application::close);
			load.awaitCount(50, (outcome) -> outcome.startedNanos() > closing.endedNanos(), Duration.ofSeconds(10));
			return new Shutdown(load.stop(), closing);
		}
	}

	private static void assertEveryAcknowledgedVisitorCountedAndNoUnreadOne(String counter, CounterKeys keys,
			Shutdown shutdown) {
		try (DirectRedis direct = new DirectRedis(redis)) {
			long count = direct.counter(counter);
			assertThat(count).as("count").isEqualTo(direct.seenVisitors(counter));
			assertThat(count).as("count")
				.isGreaterThanOrEqualTo(VisitLoad.newVisitorsAcknowledged(shutdown.outcomes()));
			// ...and a request closed without a response was never read: it was not in
			// flight, so the client may send it again.
			// (None at all is a shutdown that answered every request it took.)
			List<String> members = direct.dedupeMembers(counter);
			assertThat(shutdown.unansweredVisitors()).as("visitors of requests closed without a response, counted")
				.noneMatch((visitor) -> members.contains(keys.dedupeMember(visitor)));
		}
	}

	private static void report(Shutdown shutdown) {
		List<Outcome> outcomes = shutdown.outcomes();
		System.out.printf(
				"Shutdown under load: %d requests, %d answered 200 (%d while closing), %d refused, others: %s; "
						+ "close() took %d ms%n",
				outcomes.size(), outcomes.stream().filter(Outcome::ok).count(),
				outcomes.stream()
					.filter((outcome) -> outcome.ok() && outcome.endedNanos() > shutdown.closing().beganNanos())
					.count(),
				shutdown.refused().size(),
				outcomes.stream().filter((outcome) -> !outcome.ok() && !outcome.connectionRefused()).toList(),
				shutdown.closing().duration().toMillis());
	}

	/**
	 * A shutdown under load: every request's outcome, and when closing began and ended.
	 */
	private record Shutdown(List<Outcome> outcomes, Interval closing) {

		List<Outcome> refused() {
			return this.outcomes.stream().filter(Outcome::connectionRefused).toList();
		}

		/** The visitors of requests closed without a response and never answered. */
		List<String> unansweredVisitors() {
			Set<String> answered = this.outcomes.stream()
				.filter(Outcome::ok)
				.map(Outcome::visitorId)
				.collect(Collectors.toSet());
			return this.outcomes.stream()
				.filter(Outcome::closedBeforeResponse)
				.map(Outcome::visitorId)
				.filter((visitor) -> !answered.contains(visitor))
				.toList();
		}

	}

}
