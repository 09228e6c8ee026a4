package io.github.visitorcounter.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A corpus of hostile requests, sent byte for byte over a socket: each gets a 4xx problem
 * (or, where HTTP itself gives up on the connection, a closed one), never a 5xx; only the
 * valid requests among them change Redis; and no log line carries a raw control
 * character.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class HostileInputTests extends ApiTestSupport {

	private static final Duration TIMEOUT = Duration.ofSeconds(20);

	private static final String GOOD_ID = "0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a";

	@Test
	void answersEveryHostileRequestWithAClientErrorAndStoresOnlyValidVisits(CapturedOutput output) {
		List<Hostile> corpus = corpus();
		assertThat(corpus).hasSizeGreaterThanOrEqualTo(150);
		List<String> validIds = new ArrayList<>();
		for (int i = 0; i < corpus.size(); i++) {
			if (i % 30 == 0) {
				String id = UUID.randomUUID().toString();
				validIds.add(id);
				RawHttp.Response valid = send(post("/api/visitors/valid", "application/json", json(id)));
				assertThat(valid.status()).as("a valid visit among the hostile ones").isEqualTo(200);
			}
			Hostile hostile = corpus.get(i);
			RawHttp.Response response = send(hostile.request());
			assertThat(response.timedOut()).as("%s: answered in time", hostile.name()).isFalse();
			if (response.status() == 0) {
				assertThat(hostile.mayClose()).as("%s: closed without an answer", hostile.name()).isTrue();
				continue;
			}
			assertThat(response.status()).as("%s: %s", hostile.name(), response.text()).isBetween(400, 499);
			assertThat(response.header("Content-Type")).as("%s: content type of %s", hostile.name(), response.text())
				.startsWith("application/problem+json");
			assertThat(response.text()).as(hostile.name()).doesNotContain("Exception").doesNotContain("\tat ");
		}
		Set<String> keys = this.redis.keys("*");
		assertThat(keys).as("only the valid visits are stored")
			.hasSize(7)
			.allSatisfy((key) -> assertThat(key).matches(
					"visitors:\\{valid\\}:(count|v:0:0|requests:.+|new:.+|day:\\d{4}-\\d{2}-\\d{2})|visitors:\\{=registry\\}:.+"));
		assertThat(this.redis.opsForZSet().range("visitors:{=registry}:counters", 0, -1)).containsExactly("valid");
		assertThat(this.redis.opsForSet().size("visitors:{valid}:v:0:0")).isEqualTo(validIds.size());
		assertThat(this.redis.opsForValue().get("visitors:{valid}:count")).isEqualTo(Integer.toString(validIds.size()));
		List<String> unsafeLines = output.getAll()
			.lines()
			.filter((line) -> line.chars().anyMatch((c) -> (c < 0x20 && c != '\t') || c == 0x7f))
			.collect(Collectors.toList());
		assertThat(unsafeLines).as("log lines with raw control characters").isEmpty();
	}

	private RawHttp.Response send(byte[] request) {
		return RawHttp.exchange(this.port, request, TIMEOUT);
	}

	private static List<Hostile> corpus() {
		List<Hostile> corpus = new ArrayList<>();
		badVisitorIds(corpus);
		badBodies(corpus);
		badCounterNames(corpus);
		badFraming(corpus);
		badHeaders(corpus);
		badMethods(corpus);
		traversals(corpus);
		badPathParameters(corpus);
		badMediaTypes(corpus);
		oversized(corpus);
		return corpus;
	}

	private static void badVisitorIds(List<Hostile> corpus) {
		List<String> ids = List.of("\"\"", "\"a\"", "\"aaaaaaaaaaaaaaa\"", "\"" + "a".repeat(129) + "\"",
				"\"\\u0000aaaaaaaaaaaaaaaaaa\"", "\"aaaaaaaa\\r\\nSet-Cookie: x=1\"", "\"\\u001b[31mred-red-red-red\"",
				"\"üüüüüüüüüüüüüüüüüü\"", "\"😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀\"", "\"../../../../etc/passwd\"",
				"\"<script>alert(1)</script>\"", "\"' OR 1=1 -- aaaaaaaaaa\"", "\"${jndi:ldap://x.test/a}\"",
				"\"%00%00%00%00%00%00%00%00\"", "\"aaaa aaaa aaaa aaaa\"", "\"aaaa\\taaaa\\taaaa\\taaaa\"",
				"\"aaaaaaaaaaaaaaaa\\u202e\"", "\"\\ud800aaaaaaaaaaaaaaaa\"", "null", "1234567890123456789", "true",
				"[]", "{}", "1.5e30", "[\"" + GOOD_ID + "\"]", "{\"id\":\"" + GOOD_ID + "\"}",
				"\"aaaaaaaa\\naaaaaaaa\"", "\"aaaaaaaaaaaaaaaa\\u0007\"", "\"KEYS *\\r\\nFLUSHALL\\r\\n\"",
				"\"aaaaaaaaaaaaaaaa\\\\\"");
		for (String id : ids) {
			corpus.add(new Hostile("visitorId " + id,
					post("/api/visitors", "application/json", "{\"visitorId\":" + id + "}"), false));
		}
	}

	private static void badBodies(List<Hostile> corpus) {
		List<String> bodies = List.of("", "{", "}", "[]", "null", "\"text\"", "{\"visitorId\":}", json(GOOD_ID) + "x",
				"{\"visitorId\":\"" + GOOD_ID + "\",\"visitorId\":\"01ARZ3NDEKTSV4RRFFQ69G5FAV\"}",
				"{\"a\":".repeat(600) + "1" + "}".repeat(600), "[".repeat(2000) + "]".repeat(2000),
				"{'visitorId':'" + GOOD_ID + "'}", "{/* note */\"visitorId\":\"" + GOOD_ID + "\"}",
				"{\"visitorId\":NaN}", "{visitorId:\"" + GOOD_ID + "\"}", "{\"visitorId\":\"" + GOOD_ID + "\"",
				"\u0000\u0000\u0000\u0000", "{\"visitorId\":\"" + GOOD_ID + "\"}\u0000");
		for (String body : bodies) {
			corpus.add(new Hostile("body " + body.substring(0, Math.min(40, body.length())),
					post("/api/visitors", "application/json", body), false));
		}
		corpus.add(new Hostile("invalid UTF-8",
				request("POST /api/visitors HTTP/1.1", "Content-Type: application/json",
						concat("{\"visitorId\":\"".getBytes(StandardCharsets.US_ASCII),
								new byte[] { (byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE },
								"aaaaaaaaaaaaaaaa\"}".getBytes(StandardCharsets.US_ASCII))),
				false));
	}

	private static void badCounterNames(List<Hostile> corpus) {
		List<String> names = List.of("Blog", "-blog", ".blog", "_blog", "a".repeat(65), "blog%0d%0aX-Injected:%201",
				"blog%00", "%1b%5b31mred", "caf%c3%a9", "my%20blog", "..", "%2e%2e", "a%2fb", "a%5cb", "%25", "%7b%7d",
				"a*", "%e2%80%aeblog", "blog%09", "%ff%fe", "BLOG", "blog!", "b~log", "blog,x", "blog%27%20OR%201=1");
		for (String name : names) {
			corpus.add(new Hostile("POST counter " + name,
					post("/api/visitors/" + name, "application/json", json(GOOD_ID)), true));
			corpus.add(new Hostile("GET counter " + name, request("GET /api/visitors/" + name + " HTTP/1.1"), true));
		}
	}

	private static void badFraming(List<Hostile> corpus) {
		String body = json(GOOD_ID);
		corpus.add(raw("Content-Length not a number", "POST /api/visitors HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nContent-Length: abc\r\n\r\n" + body));
		corpus.add(raw("negative Content-Length", "POST /api/visitors HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nContent-Length: -1\r\n\r\n" + body));
		corpus.add(raw("two Content-Lengths",
				"POST /api/visitors HTTP/1.1\r\nHost: localhost\r\n"
						+ "Content-Type: application/json\r\nContent-Length: 5\r\nContent-Length: " + body.length()
						+ "\r\n\r\n" + body));
		corpus.add(raw("unknown transfer coding", "POST /api/visitors HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nTransfer-Encoding: rot13\r\n\r\n" + body));
		corpus.add(raw("bad chunk size",
				"POST /api/visitors HTTP/1.1\r\nHost: localhost\r\n"
						+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" + body
						+ "\r\n0\r\n\r\n"));
		corpus.add(raw("overflowing Content-Length", "POST /api/visitors HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nContent-Length: 99999999999999999999999\r\n\r\n" + body));
		corpus.add(raw("huge Content-Length, short body", "POST /api/visitors HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nContent-Length: 1099511627776\r\n\r\n" + body));
		corpus.add(raw("no Host in HTTP/1.1", "POST /api/visitors HTTP/1.1\r\nContent-Type: application/json\r\n"
				+ "Content-Length: " + body.length() + "\r\n\r\n" + body));
		corpus.add(raw("unknown HTTP version", "POST /api/visitors HTTP/9.9\r\nHost: localhost\r\n\r\n"));
		corpus
			.add(raw("request line with a space too many", "POST  /api/visitors HTTP/1.1\r\nHost: localhost\r\n\r\n"));
		corpus.add(raw("control character in the request line",
				"POST /api/visitors\u001b[31m HTTP/1.1\r\nHost: localhost\r\n\r\n"));
		corpus.add(raw("NUL in the request line", "GET /api/visitors\u0000 HTTP/1.1\r\nHost: localhost\r\n\r\n"));
		corpus.add(raw("bare LF and CR", "GET /api/visitors HTTP/1.1\rHost: localhost\r\r"));
		corpus.add(raw("slowloris body", "POST /api/visitors HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"visitorId\":"));
		corpus.add(raw("chunked body that never ends", "POST /api/visitors HTTP/1.1\r\nHost: localhost\r\n"
				+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"vis\r\n"));
	}

	private static void badHeaders(List<Hostile> corpus) {
		String body = json(GOOD_ID);
		corpus.add(new Hostile("header of 16 KiB",
				request("POST /api/visitors HTTP/1.1", "Content-Type: application/json\r\nX-Big: " + "a".repeat(16_384),
						body.getBytes(StandardCharsets.US_ASCII)),
				true));
		StringBuilder many = new StringBuilder("Content-Type: application/json");
		for (int i = 0; i < 150; i++) {
			many.append("\r\nX-Header-").append(i).append(": ").append(i);
		}
		corpus.add(new Hostile("150 headers",
				request("POST /api/visitors HTTP/1.1", many.toString(), body.getBytes(StandardCharsets.US_ASCII)),
				true));
		corpus.add(raw("NUL in a header", "POST /api/visitors HTTP/1.1\r\nHost: localhost\r\nX-Evil: a\u0000b\r\n"
				+ "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body));
		corpus.add(raw("space in a header name", "POST /api/visitors HTTP/1.1\r\nHost: localhost\r\nX Evil: 1\r\n"
				+ "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body));
		corpus.add(raw("folded header",
				"POST /api/visitors HTTP/1.1\r\nHost: localhost\r\n"
						+ "Content-Type: application/json\r\n folded: yes\r\nContent-Length: " + body.length()
						+ "\r\n\r\n" + body));
		for (String type : List.of("application/xml", "text/plain", "multipart/form-data; boundary=x",
				"application/x-www-form-urlencoded", "application/json-patch+json",
				"application/json; charset=nonsense", "*/*", "application")) {
			corpus.add(new Hostile("Content-Type " + type, post("/api/visitors", type, body), false));
		}
		corpus.add(new Hostile("no Content-Type",
				request("POST /api/visitors HTTP/1.1", null, body.getBytes(StandardCharsets.US_ASCII)), false));
		corpus.add(new Hostile("Accept nothing JSON", request("POST /api/visitors HTTP/1.1",
				"Content-Type: application/json\r\nAccept: image/png", "{}".getBytes(StandardCharsets.US_ASCII)),
				false));
	}

	private static void badMethods(List<Hostile> corpus) {
		for (String method : List.of("PUT", "PATCH", "DELETE", "TRACE", "PROPFIND", "FOO")) {
			corpus.add(new Hostile(
					method + " /api/visitors", request(method + " /api/visitors HTTP/1.1",
							"Content-Type: application/json", json(GOOD_ID).getBytes(StandardCharsets.US_ASCII)),
					true));
		}
		corpus.add(
				new Hostile("method override header",
						request("POST /api/visitors HTTP/1.1",
								"X-HTTP-Method-Override: DELETE\r\nContent-Type: application/json", new byte[0]),
						false));
		corpus.add(new Hostile("method override parameter",
				post("/api/visitors?_method=DELETE", "application/x-www-form-urlencoded", "_method=DELETE"), false));
		corpus.add(raw("CONNECT", "CONNECT localhost:6379 HTTP/1.1\r\nHost: localhost:6379\r\n\r\n"));
	}

	private static void traversals(List<Hostile> corpus) {
		for (String path : List.of("/api/visitors/../../etc/passwd", "/api/visitors/..%2f..%2fetc%2fpasswd",
				"/api/%2e%2e/%2e%2e/etc/passwd", "/visitor-counter.js/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
				"/WEB-INF/web.xml", "/META-INF/MANIFEST.MF", "/actuator/../actuator/env", "/api/visitors/.%00",
				"/api/visitors/%252e%252e", "/..;/..;/etc/passwd", "/static/..%5c..%5cetc%5cpasswd")) {
			corpus.add(new Hostile("traversal " + path, request("GET " + path + " HTTP/1.1"), true));
		}
	}

	/**
	 * Path parameters, which Tomcat strips from a segment before it checks the path, with
	 * broken escapes or bytes that are not UTF-8; a path that is no URI reference; and
	 * the home page asked for as anything but HTML, which Spring Boot refuses without a
	 * body.
	 */
	private static void badPathParameters(List<Hostile> corpus) {
		for (String route : List.of("GET /api/visitors", "GET /api/visitors/blog", "GET /api/visitors/blog/stats",
				"GET /api/visitors/blog/badge.svg", "GET /actuator/health", "GET /index.html", "GET /v3/api-docs")) {
			for (String parameter : List.of(";%", ";a=%zz", ";a=%c3%28", ";%ff%fe", ";jsessionid=%2")) {
				corpus.add(new Hostile("path parameter " + route + parameter, request(route + parameter + " HTTP/1.1"),
						false));
			}
		}
		corpus.add(new Hostile("POST with a broken path parameter",
				post("/api/visitors/blog;a=%zz", "application/json", json(GOOD_ID)), false));
		corpus.add(new Hostile("a path that reads as a host", request("GET // HTTP/1.1"), false));
		for (String accept : List.of("application/json", "text/plain", "image/png")) {
			corpus.add(new Hostile("the home page as " + accept, request("GET / HTTP/1.1", "Accept: " + accept, null),
					false));
		}
	}

	/**
	 * Media types each reader in the application parses its own way: a Content-Type that
	 * is a range or a list, an Accept with a quality out of range or an unknown charset.
	 */
	private static void badMediaTypes(List<Hostile> corpus) {
		for (String contentType : List.of("application/*", "*/*", "application/json, text/plain", "json")) {
			corpus.add(new Hostile("POST with Content-Type " + contentType,
					post("/api/visitors", contentType, json(GOOD_ID)), false));
			corpus.add(new Hostile("GET with Content-Type " + contentType,
					request("GET /actuator/health HTTP/1.1", "Content-Type: " + contentType, null), false));
		}
		for (String accept : List.of("text/plain;q=2", "*/*;charset=bogus", "application/json;q=x")) {
			corpus.add(new Hostile("metrics with Accept " + accept,
					request("GET /actuator/prometheus HTTP/1.1", "Accept: " + accept, null), false));
		}
	}

	private static void oversized(List<Hostile> corpus) {
		corpus.add(new Hostile("body of 5000 bytes",
				post("/api/visitors", "application/json", "{\"visitorId\":\"" + "a".repeat(4990) + "\"}"), true));
		corpus.add(new Hostile("body of 4097 bytes",
				post("/api/visitors", "application/json", json(GOOD_ID) + " ".repeat(4097 - json(GOOD_ID).length())),
				true));
		corpus
			.add(new Hostile("body of 256 KiB", post("/api/visitors", "application/json", "a".repeat(262_144)), true));
		String chunk = "a".repeat(2048);
		corpus.add(raw("chunked body of 10 KiB",
				"POST /api/visitors HTTP/1.1\r\nHost: localhost\r\n"
						+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
						+ ("800\r\n" + chunk + "\r\n").repeat(5) + "0\r\n\r\n"));
		corpus.add(new Hostile("URL of 9000 characters", request("GET /api/visitors/" + "a".repeat(9000) + " HTTP/1.1"),
				true));
		corpus.add(new Hostile("query of 70000 characters",
				request("GET /api/visitors?q=" + "a".repeat(70_000) + " HTTP/1.1"), true));
	}

	private static String json(String visitorId) {
		return "{\"visitorId\":\"" + visitorId + "\"}";
	}

	private static byte[] post(String path, String contentType, String body) {
		return request("POST " + path + " HTTP/1.1", "Content-Type: " + contentType,
				body.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] request(String requestLine) {
		return request(requestLine, null, null);
	}

	/**
	 * A request with Host, a User-Agent, Connection: close and a correct Content-Length.
	 */
	private static byte[] request(String requestLine, String headers, byte[] body) {
		StringBuilder head = new StringBuilder(requestLine)
			.append("\r\nHost: localhost\r\nUser-Agent: curl/8.5.0\r\nConnection: close\r\n");
		if (headers != null) {
			head.append(headers).append("\r\n");
		}
		if (body != null) {
			head.append("Content-Length: ").append(body.length).append("\r\n");
		}
		head.append("\r\n");
		return concat(head.toString().getBytes(StandardCharsets.UTF_8), (body != null) ? body : new byte[0]);
	}

	private static Hostile raw(String name, String request) {
		return new Hostile(name, request.getBytes(StandardCharsets.ISO_8859_1), true);
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream joined = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			joined.writeBytes(part);
		}
		return joined.toByteArray();
	}

	/**
	 * One hostile request.
	 *
	 * @param name what it tries
	 * @param request its bytes
	 * @param mayClose whether HTTP allows the server to just close the connection on it
	 */
	record Hostile(String name, byte[] request, boolean mayClose) {

	}

}
