package io.github.visitorcounter.ratelimit;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.visitorcounter.VisitorCounterApplication;
import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request budgets and new-visitor caps end to end, over HTTP, against a real Redis.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "visitors.rate-limit.requests=5", "visitors.rate-limit.window=2s",
				"visitors.new-visitor-cap.per-ip=3", RateLimitTests.NO_BUDGET_ACROSS_COUNTERS })
class RateLimitTests extends ApiTestSupport {

	// These tests are about the budget of one counter; the in-memory budget across
	// counters (AddressLimitsTests) would otherwise refuse what the burst test leaves.
	static final String NO_BUDGET_ACROSS_COUNTERS = "visitors.rate-limit.requests-across-counters=1000000";

	private static final String[] LIMITS = { "visitors.rate-limit.requests=5", "visitors.rate-limit.window=2s",
			"visitors.new-visitor-cap.per-ip=3", NO_BUDGET_ACROSS_COUNTERS };

	@Test
	void tellsEveryPostItsRemainingBudget() {
		String path = "/api/visitors/" + uniqueCounter();
		for (int remaining = 4; remaining >= 0; remaining--) {
			HttpResponse<String> response = this.api.post(path, visit(UUID.randomUUID().toString()));
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("RateLimit-Limit")).hasValue("5");
			assertThat(response.headers().firstValue("RateLimit-Remaining")).hasValue(Integer.toString(remaining));
			assertThat(response.headers().firstValue("RateLimit-Reset"))
				.hasValueSatisfying((reset) -> assertThat(Integer.parseInt(reset)).isBetween(1, 2));
		}
	}

	@Test
	void refusesRequestsOverTheBudgetAndCountsNothing() {
		String counter = uniqueCounter();
		for (int i = 0; i < 5; i++) {
			this.api.post("/api/visitors/" + counter, visit(UUID.randomUUID().toString()));
		}
		HttpResponse<String> refused = this.api.post("/api/visitors/" + counter, visit(UUID.randomUUID().toString()));
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(refused.body()).contains("urn:visitor-counter:problem:rate-limited");
		assertThat(refused.headers().firstValue("Retry-After"))
			.hasValueSatisfying((seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 2));
		assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");
		assertThat(this.api.get("/api/visitors/" + counter).body()).contains("\"count\":3");
	}

	@Test
	void doesNotLimitReads() {
		String counter = uniqueCounter();
		for (int i = 0; i < 20; i++) {
			assertThat(this.api.get("/api/visitors/" + counter).statusCode()).isEqualTo(200);
		}
	}

	@Test
	void ignoresForwardedForHeadersFromAnUntrustedPeer() {
		String counter = uniqueCounter();
		List<Integer> statuses = new ArrayList<>();
		for (int i = 0; i < 7; i++) {
			statuses.add(
					this.api
						.post("/api/visitors/" + counter, visit(UUID.randomUUID().toString()), "X-Forwarded-For",
								"203.0.113." + i, "Forwarded", "for=203.0.113." + i)
						.statusCode());
		}
		assertThat(statuses).containsExactly(200, 200, 200, 200, 200, 429, 429);
	}

	@Test
	void allowsNoDoubleBurstAtWindowEdges() throws InterruptedException {
		String counter = uniqueCounter();
		List<Long> accepted = new ArrayList<>();
		long started = System.nanoTime();
		while (System.nanoTime() - started < 5_000_000_000L) {
			long sent = System.nanoTime();
			if (this.api.post("/api/visitors/" + counter, visit(UUID.randomUUID().toString())).statusCode() == 200) {
				accepted.add(sent);
			}
			Thread.sleep(25);
		}
		// Over 5 s, a 5-per-2-s budget admits about 12 requests, and never more than 5 in
		// any 2 s: a fixed
		// window would let 10 through around each window boundary. 100 ms of slack
		// absorbs clock jitter.
		long window = 1_900_000_000L;
		for (long at : accepted) {
			assertThat(accepted.stream().filter((other) -> other <= at && other > at - window).count())
				.isLessThanOrEqualTo(5);
		}
		assertThat(accepted).hasSizeBetween(10, 15);
	}

	@Test
	void sharesOneBudgetBetweenInstances() {
		String counter = uniqueCounter();
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(VisitorCounterApplication.class)
			.properties(LIMITS)
			.properties("server.port=0", "spring.data.redis.url=" + RedisServer.shared().url())
			.run()) {
			ApiClient secondApi = new ApiClient(
					Integer.parseInt(second.getEnvironment().getProperty("local.server.port")));
			int accepted = 0;
			for (int i = 0; i < 10; i++) {
				ApiClient instance = (i % 2 == 0) ? this.api : secondApi;
				if (instance.post("/api/visitors/" + counter, visit(UUID.randomUUID().toString()))
					.statusCode() == 200) {
					accepted++;
				}
			}
			assertThat(accepted).isEqualTo(5);
		}
	}

	@Test
	void stopsCountingNewVisitorsPastTheCap() {
		String path = "/api/visitors/" + uniqueCounter();
		String first = UUID.randomUUID().toString();
		this.api.post(path, visit(first));
		this.api.post(path, visit(UUID.randomUUID().toString()));
		this.api.post(path, visit(UUID.randomUUID().toString()));
		HttpResponse<String> capped = this.api.post(path, visit(UUID.randomUUID().toString()));
		assertThat(capped.statusCode()).isEqualTo(200);
		assertThat(capped.body()).endsWith("\"count\":3,\"newVisitor\":false}");
		assertThat(capped.headers().firstValue("Visit-Not-Counted")).hasValue("new-visitor-cap");
		HttpResponse<String> returning = this.api.post(path, visit(first));
		assertThat(returning.body()).endsWith("\"count\":3,\"newVisitor\":false}");
		assertThat(returning.headers().firstValue("Visit-Not-Counted")).isEmpty();
	}

	@Test
	void countsDoNotTrackVisitsUnlessToldOtherwise() {
		String path = "/api/visitors/" + uniqueCounter();
		HttpResponse<String> response = this.api.post(path, visit(UUID.randomUUID().toString()), "DNT", "1");
		assertThat(response.body()).contains("\"newVisitor\":true");
	}

	private static String uniqueCounter() {
		return "limits-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
