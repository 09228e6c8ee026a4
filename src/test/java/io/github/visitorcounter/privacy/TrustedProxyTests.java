package io.github.visitorcounter.privacy;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a trusted reverse proxy, with privacy settings on: who the client is, and which
 * visits count.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "server.forward-headers-strategy=native",
		"server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1|0:0:0:0:0:0:0:1", "visitors.rate-limit.requests=3",
		"visitors.excluded-ips=192.0.2.0/24,2001:db8::/32", "visitors.respect-dnt=true" })
class TrustedProxyTests extends ApiTestSupport {

	@Test
	void takesTheRightmostUntrustedAddressAsTheClient() {
		String path = "/api/visitors/" + uniqueCounter();
		for (int i = 0; i < 3; i++) {
			assertThat(post(path, "X-Forwarded-For", "203.0.113." + i + ", 198.51.100.7").statusCode()).isEqualTo(200);
		}
		// Whatever a client puts in front, the proxy's own entry names it: still the
		// same, limited client.
		assertThat(post(path, "X-Forwarded-For", "10.9.8.7, 198.51.100.7").statusCode()).isEqualTo(429);
		assertThat(post(path, "X-Forwarded-For", "198.51.100.8").statusCode()).isEqualTo(200);
	}

	@Test
	void budgetsAnIpv6ClientByItsSlash64() {
		String path = "/api/visitors/" + uniqueCounter();
		for (int i = 1; i <= 3; i++) {
			assertThat(post(path, "X-Forwarded-For", "2a00:1450:4001:81c::" + i).statusCode()).isEqualTo(200);
		}
		assertThat(post(path, "X-Forwarded-For", "2a00:1450:4001:81c:ffff:ffff:ffff:ffff").statusCode()).isEqualTo(429);
		assertThat(post(path, "X-Forwarded-For", "2a00:1450:4001:81d::1").statusCode()).isEqualTo(200);
	}

	@Test
	void answersButDoesNotCountExcludedAddresses() {
		String path = "/api/visitors/" + uniqueCounter();
		HttpResponse<String> response = post(path, "X-Forwarded-For", "192.0.2.44");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).endsWith("\"count\":0,\"newVisitor\":false}");
		assertThat(response.headers().firstValue("Visit-Not-Counted")).hasValue("excluded-address");
		assertThat(post(path, "X-Forwarded-For", "2001:db8::1").headers().firstValue("Visit-Not-Counted"))
			.hasValue("excluded-address");
		assertThat(post(path, "X-Forwarded-For", "192.0.3.1").body()).contains("\"newVisitor\":true");
	}

	@Test
	void answersButDoesNotCountDoNotTrackOrGlobalPrivacyControl() {
		String path = "/api/visitors/" + uniqueCounter();
		assertThat(post(path, "X-Forwarded-For", "198.51.100.20", "DNT", "1").headers().firstValue("Visit-Not-Counted"))
			.hasValue("do-not-track");
		assertThat(post(path, "X-Forwarded-For", "198.51.100.21", "Sec-GPC", "1").headers()
			.firstValue("Visit-Not-Counted")).hasValue("do-not-track");
		assertThat(this.api.get(path).body()).contains("\"count\":0");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
			"Mozilla/5.0 (compatible; bingbot/2.0)", "facebookexternalhit/1.1",
			"Mozilla/5.0 (compatible; AhrefsBot/7.0)", "Baiduspider+(+http://www.baidu.com/search/spider.htm)", "" })
	void answersButDoesNotCountCrawlers(String userAgent) {
		String path = "/api/visitors/" + uniqueCounter();
		HttpResponse<String> response = post(path, "User-Agent", userAgent.isEmpty() ? " " : userAgent);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Visit-Not-Counted")).hasValue("bot");
	}

	@Test
	void answersButDoesNotCountARequestWithoutUserAgent() {
		String body = visit(UUID.randomUUID().toString());
		RawHttp.Response response = RawHttp.exchange(this.port,
				"POST /api/visitors/" + uniqueCounter()
						+ " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + "Content-Length: "
						+ body.length() + "\r\nConnection: close\r\n\r\n" + body,
				Duration.ofSeconds(5));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Visit-Not-Counted")).isEqualTo("bot");
	}

	@ParameterizedTest
	@ValueSource(strings = { "curl/8.5.0", "HTTPie/3.2.2", "node", "undici", "python-requests/2.32.3", "Wget/1.21.3",
			"Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0" })
	void countsPeopleUsingOrdinaryHttpClients(String userAgent) {
		String path = "/api/visitors/" + uniqueCounter();
		HttpResponse<String> response = post(path, "User-Agent", userAgent);
		assertThat(response.body()).contains("\"newVisitor\":true");
		assertThat(response.headers().firstValue("Visit-Not-Counted")).isEmpty();
	}

	private HttpResponse<String> post(String path, String... headers) {
		return this.api.post(path, visit(UUID.randomUUID().toString()), headers);
	}

	private static String uniqueCounter() {
		return "proxy-" + UUID.randomUUID().toString().substring(0, 8);
	}

}
