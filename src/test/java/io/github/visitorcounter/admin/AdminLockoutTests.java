package io.github.visitorcounter.admin;

import java.net.http.HttpResponse;

import io.github.visitorcounter.testing.ApiTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guesses at the owner token spread over many addresses, behind a trusted proxy: an IPv6
 * client's /64 is one address, and all addresses together have a ceiling too.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "visitors.admin-token=" + AdminApiTests.TOKEN, "server.forward-headers-strategy=native",
				"server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1|0:0:0:0:0:0:0:1" })
class AdminLockoutTests extends ApiTestSupport {

	@Test
	void locksOutAnIpv6ClientByItsSlash64() {
		for (int i = 1; i <= AdminAuthentication.FAILURES_ALLOWED; i++) {
			assertThat(guess("2001:db8:0:1::" + Integer.toHexString(i), "wrong-guess-" + i).statusCode())
				.isEqualTo(401);
		}
		HttpResponse<String> sameNetwork = guess("2001:db8:0:1:ffff::1", AdminApiTests.TOKEN);
		assertThat(sameNetwork.statusCode()).isEqualTo(429);
		assertThat(sameNetwork.body()).contains("urn:visitor-counter:problem:rate-limited");
		assertThat(guess("2001:db8:0:2::1", AdminApiTests.TOKEN).statusCode()).isEqualTo(200);
	}

	@Test
	void locksEveryoneOutOnceAllAddressesTogetherFailedTooOften() {
		int addresses = AdminAuthentication.FAILURES_ALLOWED_IN_ALL / AdminAuthentication.FAILURES_ALLOWED;
		for (int address = 0; address < addresses; address++) {
			for (int i = 0; i < AdminAuthentication.FAILURES_ALLOWED; i++) {
				assertThat(guess("198.51.100." + address, "wrong-guess-" + i).statusCode()).isEqualTo(401);
			}
		}
		HttpResponse<String> fresh = guess("203.0.113.250", AdminApiTests.TOKEN);
		assertThat(fresh.statusCode()).isEqualTo(429);
		assertThat(fresh.headers().firstValue("Retry-After")).isPresent();
		assertThat(guess("203.0.113.251", "another-wrong-guess").statusCode()).isEqualTo(429);
	}

	private HttpResponse<String> guess(String client, String token) {
		return this.api.get("/api/admin/counters", "X-Forwarded-For", client, "Authorization", "Bearer " + token);
	}

}
