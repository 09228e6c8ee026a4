package io.github.visitorcounter.ratelimit;

import java.net.http.HttpResponse;
import java.util.UUID;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.ApiTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client address may do over all counters, in memory: visits, and the reads that
 * cost Redis work (stats and badge). An IPv6 client counts by its /64.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "visitors.read-limit.requests=3", "visitors.read-limit.window=10s",
				"visitors.rate-limit.requests-across-counters=5", "server.forward-headers-strategy=native",
				"server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1|0:0:0:0:0:0:0:1" })
class AddressLimitsTests extends ApiTestSupport {

	@ParameterizedTest
	@ValueSource(strings = { "/api/visitors/blog/stats", "/api/visitors/blog/badge.svg" })
	void refusesReadsOverTheBudgetOfTheAddress(String path) {
		String client = "198.51.100." + (path.hashCode() & 0x7f);
		for (int i = 0; i < 3; i++) {
			assertThat(read(path, client).statusCode()).isEqualTo(200);
		}
		HttpResponse<String> refused = read(path, client);
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(refused.body()).contains("urn:visitor-counter:problem:rate-limited");
		assertThat(refused.headers().firstValue("Retry-After"))
			.hasValueSatisfying((seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 10));
		assertThat(refused.headers().firstValue("RateLimit-Limit")).hasValue("3");
		assertThat(read(path, "198.51.100.200").statusCode()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/visitors/blog/stats", "/api/visitors/blog/badge.svg" })
	void countsAnIpv6ClientByItsSlash64(String path) {
		String network = (path.endsWith("stats")) ? "2001:db8:0:1:" : "2001:db8:0:2:";
		for (int i = 1; i <= 3; i++) {
			assertThat(read(path, network + ":" + i).statusCode()).isEqualTo(200);
		}
		assertThat(read(path, network + "ffff:ffff:ffff:ffff").statusCode()).isEqualTo(429);
		assertThat(read(path, "2001:db8:0:3::1").statusCode()).isEqualTo(200);
	}

	@Test
	void refusesVisitsOverTheBudgetAcrossCountersAndWritesNothing() {
		String client = "198.51.100.77";
		for (int i = 0; i < 5; i++) {
			assertThat(visit("/api/visitors/walk-" + i, client).statusCode()).isEqualTo(200);
		}
		HttpResponse<String> refused = visit("/api/visitors/walk-5", client);
		assertThat(refused.statusCode()).isEqualTo(429);
		assertThat(refused.body()).contains("urn:visitor-counter:problem:rate-limited");
		assertThat(refused.headers().firstValue("RateLimit-Limit")).hasValue("5");
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		assertThat(this.redis.keys("visitors:{walk-5}:*")).isEmpty();
		assertThat(visit("/api/visitors/walk-5", "198.51.100.78").statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> visit(String path, String client) {
		return this.api.post(path, ApiClient.visit(UUID.randomUUID().toString()), "X-Forwarded-For", client);
	}

	private HttpResponse<String> read(String path, String client) {
		return this.api.get(path, "X-Forwarded-For", client);
	}

}
