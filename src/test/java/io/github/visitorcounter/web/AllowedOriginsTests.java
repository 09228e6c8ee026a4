package io.github.visitorcounter.web;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.UUID;

import io.github.visitorcounter.testing.ApiTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "visitors.allowed-origins=https://site.example,http://localhost:4000")
class AllowedOriginsTests extends ApiTestSupport {

	private static final String ALLOWED = "https://site.example";

	private static final String FOREIGN = "https://evil.example";

	@Test
	void answersThePreflightOfAnAllowedOrigin() {
		HttpResponse<String> preflight = preflight(ALLOWED);
		assertThat(preflight.statusCode()).isEqualTo(200);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("POST");
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
			.containsIgnoringCase("content-type");
	}

	@Test
	void countsAPostFromAnAllowedOrigin() {
		HttpResponse<String> response = this.api.post("/api/visitors", visit(UUID.randomUUID().toString()), "Origin",
				ALLOWED);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
		assertThat(count()).isEqualTo("1");
	}

	@Test
	void refusesAPostFromAnotherOriginAndCountsNothing() {
		HttpResponse<String> response = this.api.post("/api/visitors", visit(UUID.randomUUID().toString()), "Origin",
				FOREIGN);
		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
		assertThat(response.body()).contains("urn:visitor-counter:problem:origin-not-allowed");
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@Test
	void refusesThePreflightOfAnotherOrigin() {
		HttpResponse<String> preflight = preflight(FOREIGN);
		assertThat(preflight.statusCode()).isEqualTo(403);
		assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	@Test
	void servesRequestsWithoutAnOrigin() {
		assertThat(this.api.post("/api/visitors", visit(UUID.randomUUID().toString())).statusCode()).isEqualTo(200);
		assertThat(count()).isEqualTo("1");
	}

	@Test
	void servesSameOriginRequests() {
		HttpResponse<String> response = this.api.post("/api/visitors", visit(UUID.randomUUID().toString()), "Origin",
				"http://localhost:" + this.port);
		assertThat(response.statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> preflight(String origin) {
		return this.api.send(
				this.api
					.request("/api/visitors", "Origin", origin, "Access-Control-Request-Method", "POST",
							"Access-Control-Request-Headers", "content-type")
					.method("OPTIONS", BodyPublishers.noBody()));
	}

	private String count() {
		return this.redis.opsForValue().get("visitors:{default}:count");
	}

}
