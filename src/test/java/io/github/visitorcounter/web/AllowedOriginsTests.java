package io.github.visitorcounter.web;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.RawHttp;
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

	/**
	 * Refused before its body arrived, which is then not waited for: the answer is
	 * complete all the same, to its last chunk, before the connection is closed.
	 */
	@Test
	void refusesAPostFromAnotherOriginWhoseBodyComesLateWithACompleteAnswer() throws Exception {
		String body = visit(UUID.randomUUID().toString());
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port));
			OutputStream out = socket.getOutputStream();
			out.write(("POST /api/visitors HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test/1.0\r\nOrigin: " + FOREIGN
					+ "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			Thread.sleep(300);
			RawHttp.Response response = RawHttp.exchange(socket, body.getBytes(StandardCharsets.ISO_8859_1),
					Duration.ofSeconds(5));
			assertThat(response.status()).isEqualTo(403);
			assertThat(response.timedOut()).isFalse();
			// Whole, and saying that the connection closes: a client that keeps
			// connections
			// must not send its next request on this one.
			assertThat(response.text()).contains("urn:visitor-counter:problem:origin-not-allowed")
				.contains("\r\nConnection: close\r\n")
				.endsWith("}");
			assertThat(response.text()).contains("\r\nContent-Length: " + response.body().length() + "\r\n");
		}
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
