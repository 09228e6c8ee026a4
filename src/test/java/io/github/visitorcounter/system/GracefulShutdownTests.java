package io.github.visitorcounter.system;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.visitorcounter.ApiClient;
import io.github.visitorcounter.DirectRedis;
import io.github.visitorcounter.RedisServer;
import io.github.visitorcounter.VisitLoad;
import io.github.visitorcounter.VisitLoad.Outcome;
import io.github.visitorcounter.VisitorCounterApplication;
import io.github.visitorcounter.counter.CounterKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application shut down under concurrent registrations, the way SIGTERM does it
 * (closing the application context, with {@code server.shutdown=graceful}): requests in
 * flight complete with their answer, later ones find the port closed, and every visitor
 * acknowledged as new is in Redis. A request sent on an idle keep-alive connection just
 * as the server closes it gets no response at all; the server never read it, so it was
 * not counted and the client may send it again.
 */
class GracefulShutdownTests {

	private static final RedisServer redis = RedisServer.start(RedisServer.Options.plain());

	@AfterAll
	static void stopRedis() {
		redis.close();
	}

	@Test
	void completesRequestsInFlightAndLosesNoAcknowledgedVisitor() {
		String counter = "shutdown";
		ConfigurableApplicationContext application = new SpringApplicationBuilder(VisitorCounterApplication.class)
			// As command-line arguments: they win over application.properties.
			.run("--server.port=0", "--spring.data.redis.url=" + redis.url(), "--visitors.rate-limit.enabled=false",
					"--visitors.new-visitor-cap.enabled=false");
		int port = Integer.parseInt(application.getEnvironment().getProperty("local.server.port"));
		CounterKeys keys = application.getBean(CounterKeys.class);
		List<Outcome> outcomes;
		long closingAt;
		long closedAt;
		VisitLoad load = VisitLoad.start(new ApiClient(port), "/api/visitors/" + counter, 8, Duration.ofMillis(2));
		try {
			await().atMost(Duration.ofSeconds(20)).until(() -> load.count(Outcome::ok) >= 300);
			closingAt = System.nanoTime();
			application.close();
			closedAt = System.nanoTime();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> load.count((outcome) -> outcome.startedNanos() > closedAt) >= 50);
		}
		finally {
			outcomes = load.stop();
			application.close();
		}
		List<Outcome> refused = outcomes.stream().filter(Outcome::connectionRefused).toList();
		List<Outcome> answeredWhileClosing = outcomes.stream()
			.filter((outcome) -> outcome.ok() && outcome.endedNanos() > closingAt)
			.toList();
		System.out.printf(
				"Shutdown under load: %d requests, %d answered 200 (%d while closing), %d refused, others: %s; "
						+ "close() took %d ms%n",
				outcomes.size(), outcomes.stream().filter(Outcome::ok).count(), answeredWhileClosing.size(),
				refused.size(),
				outcomes.stream().filter((outcome) -> !outcome.ok() && !outcome.connectionRefused()).toList(),
				Duration.ofNanos(closedAt - closingAt).toMillis());
		// No 5xx, no truncated body.
		assertThat(outcomes).allSatisfy(
				(outcome) -> assertThat(outcome.ok() || outcome.connectionRefused() || outcome.closedBeforeResponse())
					.as("200, connection refused, or closed before any response byte: %s", outcome)
					.isTrue());
		assertThat(refused).as("requests refused after the shutdown").isNotEmpty().allSatisfy((outcome) -> {
			assertThat(outcome.endedNanos()).as("refused only once closing").isGreaterThan(closingAt);
		});
		Set<String> answeredVisitors = outcomes.stream()
			.filter(Outcome::ok)
			.map(Outcome::visitorId)
			.collect(Collectors.toSet());
		List<String> unanswered = outcomes.stream()
			.filter(Outcome::closedBeforeResponse)
			.map(Outcome::visitorId)
			.filter((visitor) -> !answeredVisitors.contains(visitor))
			.toList();
		try (DirectRedis direct = new DirectRedis(redis)) {
			long count = direct.counter(counter);
			assertThat(count).as("count").isEqualTo(direct.seenVisitors(counter));
			assertThat(count).as("count").isGreaterThanOrEqualTo(VisitLoad.newVisitorsAcknowledged(outcomes));
			// ...and a request closed without a response was never read: it was not in
			// flight, so the client may send it again.
			assertThat(direct.dedupeMembers(counter)).as("members of visitors of requests closed without a response")
				.doesNotContainAnyElementsOf(unanswered.stream().map(keys::dedupeMember).toList());
		}
	}

}
