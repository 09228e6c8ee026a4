package io.github.visitorcounter.web;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the server was lenient: numbers in queries, repeated and empty parameters, counts
 * that are not whole JSON numbers, and representations other than JSON. Each is a 400 (or
 * a 406) problem now, never a guess.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "visitors.admin-token=strict-test-admin-token", "visitors.read-limit.enabled=false",
				"visitors.rate-limit.enabled=false", "visitors.new-visitor-cap.enabled=false" })
class StrictRequestsTests extends ApiTestSupport {

	private static final String[] ADMIN = { "Authorization", "Bearer strict-test-admin-token" };

	@ParameterizedTest
	@ValueSource(strings = { "+5", "-5", "05", "%205", "5%20", "5.0", "0x5", "1e1", "5,6", "%D9%A5", "%EF%BC%95",
			"99999999999", "five" })
	void takesDaysAsPlainDecimalDigitsOnly(String days) {
		HttpResponse<String> response = this.api.get("/api/visitors/blog/stats?days=" + days);
		assertInvalid(response, "days", "must be a number in plain decimal digits");
	}

	@Test
	void stillTakesPlainDays() {
		assertThat(this.api.get("/api/visitors/blog/stats?days=7").statusCode()).isEqualTo(200);
		assertThat(this.api.get("/api/visitors/blog/stats").statusCode()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/visitors/blog/stats?days=5&days=6", "/api/visitors/blog/stats?days=5&days=5",
			"/api/visitors/blog/badge.svg?label=a&label=b", "/api/visitors/blog/badge.svg?color=red&color=blue" })
	void refusesASingleValuedParameterGivenTwice(String path) {
		String parameter = path.substring(path.indexOf('?') + 1, path.indexOf('='));
		assertInvalid(this.api.get(path), parameter, "must be given once");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/visitors/blog/badge.svg?label=", "/api/visitors/blog/badge.svg?color=",
			"/api/visitors/blog/stats?days=", "/api/visitors/blog/badge.svg?label" })
	void refusesAnEmptyParameter(String path) {
		String parameter = path.substring(path.indexOf('?') + 1).replace("=", "");
		assertInvalid(this.api.get(path), parameter, "must not be empty");
	}

	/**
	 * Overlong UTF-8 forms ({@code C0 AF} for {@code /}, {@code C1 A1} for {@code a}) and
	 * other bytes that are not UTF-8, which a decoder might read as text.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "C0AF", "C1A1", "E080AF", "F08080AF", "ED A080", "FF", "00" })
	void refusesAJsonBodyThatIsNotUtf8(String hex) {
		byte[] invalid = HexFormat.of().parseHex(hex.replace(" ", ""));
		String id = "0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a";
		for (String[] route : new String[][] {
				{ "/api/visitors/blog/pages", "{\"visitorId\":\"" + id + "\",\"path\":\"/a" },
				{ "/api/visitors/blog", "{\"visitorId\":\"" + id.substring(0, 20) }, }) {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			body.writeBytes(route[1].getBytes(StandardCharsets.UTF_8));
			body.writeBytes(invalid);
			body.writeBytes("b\"}".getBytes(StandardCharsets.UTF_8));
			HttpResponse<String> response = this.api.post(route[0], BodyPublishers.ofByteArray(body.toByteArray()));
			assertThat(response.statusCode()).as(route[0] + " " + hex).isEqualTo(400);
			assertThat(response.body()).contains("urn:visitor-counter:problem:malformed-body").contains("UTF-8");
		}
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "UTF-16BE", "UTF-16LE", "UTF-32LE" })
	void refusesJsonInAnotherEncodingThatAParserWouldDetect(String encoding) {
		String id = "0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a";
		HttpResponse<String> response = this.api.post("/api/visitors/blog",
				BodyPublishers.ofByteArray(("{\"visitorId\":\"" + id + "\"}").getBytes(Charset.forName(encoding))));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.body()).contains("urn:visitor-counter:problem:malformed-body").contains("UTF-8");
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "gzip", "br", "deflate", "identity, gzip" })
	void refusesABodyInAContentCodingItDoesNotDecode(String coding) {
		HttpResponse<String> response = this.api.post("/api/visitors/blog",
				ApiClient.visit("0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a"), "Content-Encoding", coding);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(415);
		assertThat(response.body()).contains("urn:visitor-counter:problem:unsupported-media-type");
		assertThat(this.redis.keys("*")).isEmpty();
		for (String none : new String[] { "identity", "identity,", "" }) {
			assertThat(this.api
				.post("/api/visitors/blog", ApiClient.visit("0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a"), "Content-Encoding",
						none)
				.statusCode()).as(none).isEqualTo(200);
		}
		// Without a body there is nothing to decode.
		assertThat(this.api.get("/api/visitors/blog", "Content-Encoding", "gzip").statusCode()).isEqualTo(200);
	}

	@ParameterizedTest
	@ValueSource(strings = { " {\"counters\":{\"blog\":99}}", " garbage", "]", "}", "," })
	void refusesAnImportWithAnythingAfterItsObject(String trailing) {
		HttpResponse<String> response = this.api.post("/api/admin/import", "{\"counters\":{\"blog\":13}}" + trailing,
				ADMIN);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.body()).contains("urn:visitor-counter:problem:malformed-body");
		assertThat(this.redis.keys("*")).isEmpty();
	}

	/**
	 * A chunk size that is no number: Tomcat closes the response of a broken chunked
	 * body, so the answer comes from the error page, as the type the route decided, and
	 * once.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "/api/visitors/blog", "/api/admin/import" })
	void answersABrokenChunkedBodyOnceAsMalformed(String path, CapturedOutput output) {
		int logged = output.getOut().length();
		RawHttp.Response response = RawHttp.exchange(this.port,
				"POST " + path + " HTTP/1.1\r\nHost: localhost\r\n"
						+ "Authorization: Bearer strict-test-admin-token\r\nContent-Type: application/json\r\n"
						+ "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
				Duration.ofSeconds(5));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.body()).contains("urn:visitor-counter:problem:malformed-body");
		assertThat(response.text().indexOf("HTTP/1.1", 1)).isNegative();
		assertThat(output.getOut().substring(logged)).doesNotContain("WARN").doesNotContain("ERROR");
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@Test
	void refusesAnImportThatIsNotUtf8() {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes("{\"counters\":{\"blog\":1},\"pages\":{\"blog\":{\"/a".getBytes(StandardCharsets.UTF_8));
		body.writeBytes(HexFormat.of().parseHex("C0AF"));
		body.writeBytes("b\":1}}}".getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> response = this.api.post("/api/admin/import",
				BodyPublishers.ofByteArray(body.toByteArray()), ADMIN);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.body()).contains("urn:visitor-counter:problem:malformed-body").contains("UTF-8");
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"5\"", "5.5", "5.0", "1e3", "true", "\"\"", "[5]", "{}", "12345678901234567890" })
	void setsACountOnlyFromAWholeJsonNumber(String count) {
		HttpResponse<String> response = this.api.send(this.api.request("/api/admin/counters/blog", ADMIN)
			.header("Content-Type", "application/json")
			.PUT(BodyPublishers.ofString("{\"count\":" + count + "}")));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.body()).contains("urn:visitor-counter:problem:malformed-body");
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"5\"", "5.5", "5.0", "true" })
	void importsCountsOnlyAsWholeJsonNumbers(String count) {
		HttpResponse<String> response = this.api.post("/api/admin/import", "{\"counters\":{\"blog\":" + count + "}}",
				ADMIN);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@Test
	void stillSetsAWholeCount() {
		HttpResponse<String> response = this.api.send(this.api.request("/api/admin/counters/blog", ADMIN)
			.header("Content-Type", "application/json")
			.PUT(BodyPublishers.ofString("{\"count\":5}")));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.redis.opsForValue().get("visitors:{blog}:count")).isEqualTo("5");
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/yaml", "application/x-yaml", "text/yaml", "application/xml", "text/xml",
			"application/cbor", "application/x-jackson-smile", "text/html" })
	void answersInJsonOnly(String accept) {
		for (String path : new String[] { "/api/visitors", "/api/visitors/blog/stats", "/api/admin/counters",
				"/api/admin/export", "/v3/api-docs", "/actuator/health" }) {
			HttpResponse<String> response = this.api.get(path, "Accept", accept, ADMIN[0], ADMIN[1]);
			assertThat(response.statusCode()).as("%s with Accept: %s", path, accept).isEqualTo(406);
			assertThat(response.headers().firstValue("Content-Type")).as(path)
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		}
	}

	@Test
	void answersJsonToAnyoneWhoTakesIt() {
		for (String accept : new String[] { "*/*", "application/*", "application/json",
				"application/xml, */*;q=0.1" }) {
			HttpResponse<String> response = this.api.get("/api/visitors", "Accept", accept);
			assertThat(response.statusCode()).as(accept).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		}
	}

	/**
	 * A range with quality 0 says "not this" (RFC 9110, 12.4.2), and the most specific
	 * range that matches a type decides: each of these rules JSON out.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "application/json;q=0", "*/*;q=0", "application/*;q=0.000",
			"application/json;q=0, text/html", "application/json;q=0, */*", "application/json;q=0, application/*;q=0.5",
			"text/html, application/json;q=0" })
	void refusesJsonThatAcceptRulesOut(String accept) {
		for (String path : new String[] { "/api/visitors", "/api/visitors/blog/stats", "/api/visitors/blog/pages/top",
				"/api/admin/counters", "/v3/api-docs" }) {
			assertNotAcceptable(this.api.get(path, "Accept", accept, ADMIN[0], ADMIN[1]), path, accept);
		}
		assertNotAcceptable(
				this.api.post("/api/visitors/blog", ApiClient.visit(UUID.randomUUID().toString()), "Accept", accept),
				"POST", accept);
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "image/svg+xml;q=0", "image/*;q=0, */*", "*/*;q=0", "image/svg+xml;q=0, application/json" })
	void refusesABadgeThatAcceptRulesOut(String accept) {
		assertNotAcceptable(this.api.get("/api/visitors/blog/badge.svg", "Accept", accept), "badge", accept);
	}

	@ParameterizedTest
	@ValueSource(strings = { "text/event-stream;q=0", "text/*;q=0, */*", "*/*;q=0", "application/json" })
	void refusesAStreamThatAcceptRulesOut(String accept) {
		RawHttp.Response response = RawHttp.exchange(this.port, "GET /api/visitors/blog/stream HTTP/1.1\r\nHost: "
				+ "localhost\r\nAccept: " + accept + "\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));
		assertThat(response.status()).as(accept).isEqualTo(406);
		assertThat(response.header("Content-Type")).as(accept).startsWith("application/problem+json");
	}

	@ParameterizedTest
	@ValueSource(strings = { "*/*;q=0", "application/json;q=0, application/vnd.spring-boot.actuator.v3+json;q=0" })
	void refusesActuatorAnswersThatAcceptRulesOut(String accept) {
		assertNotAcceptable(this.api.get("/actuator/health", "Accept", accept), "health", accept);
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/json;q=0.001", "text/html;q=0, application/json", "*/*;q=0, application/json",
			"application/*;q=0, application/json;q=0.5", "application/xml;q=0, */*" })
	void answersJsonWhereAcceptRulesOutOnlyOthers(String accept) {
		HttpResponse<String> response = this.api.get("/api/visitors", "Accept", accept);
		assertThat(response.statusCode()).as(accept).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
	}

	private static void assertNotAcceptable(HttpResponse<String> response, String request, String accept) {
		assertThat(response.statusCode()).as("%s with Accept: %s", request, accept).isEqualTo(406);
		assertThat(response.headers().firstValue("Content-Type")).as("%s with Accept: %s", request, accept)
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
	}

	/**
	 * Every charset this JVM knows, and parameters nobody knows: the answer is JSON in
	 * UTF-8 all the same, and a visit is counted once, not counted and then refused.
	 */
	@Test
	void answersJsonInUtf8WhateverParametersAcceptGives() {
		List<String> accepts = new ArrayList<>(List.of("application/json;v=2", "application/json;q=0.5;level=1",
				"*/*;charset=UTF-16", "application/*;charset=ISO-8859-1"));
		Charset.availableCharsets().keySet().forEach((charset) -> accepts.add("application/json;charset=" + charset));
		long visits = 0;
		for (String accept : accepts) {
			for (String path : new String[] { "/api/visitors", "/api/visitors/blog/stats", "/api/admin/counters",
					"/actuator/health" }) {
				assertUtf8Json(this.api.get(path, "Accept", accept, ADMIN[0], ADMIN[1]), path, accept);
			}
			HttpResponse<String> visit = this.api.post("/api/visitors/charsets",
					ApiClient.visit(UUID.randomUUID().toString()), "Accept", accept, "User-Agent", "strict/1.0");
			assertUtf8Json(visit, "POST", accept);
			assertThat(this.redis.opsForValue().get("visitors:{charsets}:count")).as(accept)
				.isEqualTo(String.valueOf(++visits));
		}
	}

	private static void assertUtf8Json(HttpResponse<String> response, String request, String accept) {
		assertThat(response.statusCode()).as("%s with Accept: %s%n%s", request, accept, response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).as("%s with Accept: %s", request, accept)
			.hasValueSatisfying(
					(type) -> assertThat(type).matches("application/(vnd\\.spring-boot\\.actuator\\.v3\\+)?json"));
		assertThat(response.body()).as("%s with Accept: %s", request, accept).startsWith("{").endsWith("}");
	}

	private static void assertInvalid(HttpResponse<String> response, String field, String message) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("urn:visitor-counter:problem:invalid-request")
			.containsPattern("\\{(\"field\":\"" + field + "\",\"message\":\"" + message + "\"|\"message\":\"" + message
					+ "\",\"field\":\"" + field + "\")}");
	}

}
