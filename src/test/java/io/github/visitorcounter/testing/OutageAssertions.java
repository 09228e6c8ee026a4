package io.github.visitorcounter.testing;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import io.github.visitorcounter.testing.VisitLoad.Outcome;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the API must answer while Redis cannot: fast, and with a 200 or the documented 503
 * problem, never anything else.
 */
public final class OutageAssertions {

	/** A 503 may come this long after Redis is back: reconnect delay and timeout. */
	private static final Duration RECONNECT_MARGIN = Duration.ofSeconds(3);

	private OutageAssertions() {
	}

	/** Makes the call and asserts that its answer came within {@code limit}. */
	public static HttpResponse<String> answeredWithin(Duration limit, Supplier<HttpResponse<String>> call) {
		long started = System.nanoTime();
		HttpResponse<String> response = call.get();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answer time").isLessThan(limit);
		return response;
	}

	/** The 503 problem saying that Redis is unavailable, as the API documents it. */
	public static void assertStorageUnavailable(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.headers().firstValue("Retry-After")).isPresent();
		assertThat(response.body()).contains("urn:visitor-counter:problem:storage-unavailable")
			.doesNotContain("Exception");
	}

	/**
	 * Every request of a load was answered within {@code limit}, with 200 or that 503.
	 */
	public static void assertEachAnsweredWithin(Duration limit, List<Outcome> outcomes) {
		assertThat(outcomes).isNotEmpty().allSatisfy((outcome) -> {
			assertThat(outcome.ok() || outcome.storageUnavailable()).as("200 or 503 storage-unavailable: %s", outcome)
				.isTrue();
			assertThat(outcome.took()).as("answer time").isLessThan(limit);
		});
	}

	/**
	 * The load's 503s came only around the fault: each ended after it began and was sent
	 * before it ended, or shortly after, while the application reconnected.
	 */
	public static void assertUnavailableOnlyAround(String fault, Interval interval, List<Outcome> outcomes) {
		assertThat(outcomes).filteredOn(Outcome::storageUnavailable)
			.allSatisfy((outcome) -> assertThat(outcome.endedNanos() >= interval.beganNanos()
					&& outcome.startedNanos() <= interval.endedNanos() + RECONNECT_MARGIN.toNanos())
				.as("503 only around the " + fault)
				.isTrue());
	}

}
