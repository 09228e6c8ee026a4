package io.github.visitorcounter.visitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.RawHttp;
import io.github.visitorcounter.testing.RedisServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every error a {@code POST} can get, each row of README's error table and the statuses
 * Tomcat decides on, leaves Redis as it was: the same keys, the same counts. The README
 * promises that no error counts a visit; this holds it to every answer it can give.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "visitors.rate-limit.requests=3", "visitors.admin-token=errors-test-admin-token",
				"visitors.allowed-origins=https://site.example", "visitors.request-read-timeout=2s",
				"visitors.max-counters=3" })
@DirtiesContext
class ErrorsCountNoVisitTests {

	/** Rows of README's error table that a POST cannot get, and why. */
	private static final Map<String, String> NOT_FOR_A_POST = Map.of(
			"urn:visitor-counter:problem:too-many-client-streams", "only the live streams, GETs, answer it",
			"urn:visitor-counter:problem:too-many-streams", "only the live streams, GETs, answer it",
			"urn:visitor-counter:problem:server-busy", "only answers over 8 KiB get it, and a visit's is small",
			"urn:visitor-counter:problem:internal-error",
			"no request can bring an unexpected failure about; VisitorControllerTests fakes one");

	private static final Duration TIMEOUT = Duration.ofSeconds(15);

	/** Persisted, so that a stopped Redis comes back with what it held. */
	@RegisterExtension
	static final RedisServer redis = RedisServer.start(RedisServer.Options.persisted());

	private final int port;

	private final StringRedisTemplate redisTemplate;

	private final Set<String> answeredTypes = new LinkedHashSet<>();

	ErrorsCountNoVisitTests(@LocalServerPort int port, @Autowired StringRedisTemplate redisTemplate) {
		this.port = port;
		this.redisTemplate = redisTemplate;
	}

	@BeforeEach
	void registerSomeVisits() {
		new ApiClient(this.port).awaitStorageReachable();
		assertThat(send(post("/api/visitors", "application/json", visit())).status()).isEqualTo(200);
		assertThat(send(post("/api/visitors/blog", "application/json", visit())).status()).isEqualTo(200);
		// The third counter visits may create, made whichever test runs first; a test
		// before may have used its request budget.
		assertThat(send(post("/api/visitors/limited", "application/json", visit())).status()).isIn(200, 429);
	}

	@Test
	void noErrorAnswerToAPostChangesRedis() {
		String body = visit();
		assertCountsNothing(400, post("/api/visitors", "application/json", "{\"visitorId\":"));
		assertCountsNothing(400, post("/api/visitors", "application/json", "{\"visitorId\":\"too-short\"}"));
		assertCountsNothing(400, post("/api/visitors/Blog", "application/json", body));
		assertCountsNothing(400, post("/api/visitors/stats", "application/json", body));
		assertCountsNothing(400, post("/api/visitors?days=%zz", "application/json", body));
		assertCountsNothing(400, raw("POST /api/visitors HTTP/1.1\r\nHost: localhost\r\nX Bad: 1\r\n"
				+ "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body));
		assertCountsNothing(400,
				request("POST /api/visitors", "Content-Type: application/json\r\nX-Big: " + "a".repeat(16_384), body));
		assertCountsNothing(401, post("/api/admin/import", "application/json", "{\"counters\":{\"default\":9}}"));
		assertCountsNothing(403, request("POST /api/visitors",
				"Content-Type: application/json\r\nOrigin: https://elsewhere.example", body));
		assertCountsNothing(404, post("/api/visitors/blog/extra", "application/json", body));
		assertCountsNothing(405, post("/api/visitors/blog/stats", "application/json", body));
		for (String accept : List.of("application/xml", "text/plain", "application/yaml", "application/problem+json",
				"image/*", "nonsense")) {
			assertCountsNothing(406,
					request("POST /api/visitors", "Content-Type: application/json\r\nAccept: " + accept, body));
		}
		assertCountsNothing(408,
				raw("POST /api/visitors HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test/1.0\r\n"
						+ "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n"
						+ body.substring(0, 10)));
		assertCountsNothing(413, post("/api/visitors", "application/json", body + " ".repeat(5_000)));
		assertCountsNothing(413,
				raw("POST /api/visitors HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test/1.0\r\n"
						+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
						+ ("800\r\n" + " ".repeat(2048) + "\r\n").repeat(3) + "0\r\n\r\n"));
		assertCountsNothing(415, post("/api/visitors", "text/plain", body));
		assertCountsNothing(415, post("/api/visitors", "application/json-patch+json", body));
		useBudget("/api/visitors/limited", ErrorsCountNoVisitTests::visit);
		assertCountsNothing(429, post("/api/visitors/limited", "application/json", visit()));
		// default, blog and limited are the three counters visits may create.
		assertCountsNothing(404, post("/api/visitors/one-too-many", "application/json", visit()));
		Map<String, String> before = contents();
		redis.stop();
		try {
			RawHttp.Response unavailable = send(post("/api/visitors", "application/json", visit()));
			assertThat(unavailable.status()).isEqualTo(503);
			this.answeredTypes.add(type(unavailable));
		}
		finally {
			redis.restart();
		}
		new ApiClient(this.port).awaitStorageReachable();
		assertThat(contents()).as("after a 503").isEqualTo(before);
		assertThat(this.answeredTypes).as("every README error a POST can get was tried")
			.containsAll(readmeErrorTypes().stream().filter((type) -> !NOT_FOR_A_POST.containsKey(type)).toList());
	}

	@Test
	void noErrorAnswerToAVisitToAPageOrARead() {
		String pages = "/api/visitors/blog/pages";
		String id = UUID.randomUUID().toString();
		for (String path : List.of("", "posts", "https://site.example/posts", "//site.example/posts", "/a?b=1",
				"/a#top", "/%", "/%zz", "/%C3%28", "/a\\u0000b", "/" + "a".repeat(513))) {
			assertCountsNothing(400, post(pages, "application/json", PageApiTests.pageVisit(id, path)));
		}
		assertCountsNothing(400, post(pages, "application/json", "{\"visitorId\":\"" + id + "\"}"));
		assertCountsNothing(400, post(pages, "application/json", PageApiTests.pageVisit("too-short", "/a")));
		assertCountsNothing(400,
				post("/api/visitors/Blog/pages", "application/json", PageApiTests.pageVisit(id, "/a")));
		assertCountsNothing(400, post(pages, "application/json", "{\"visitorId\":"));
		assertCountsNothing(403,
				request("POST " + pages, "Content-Type: application/json\r\nOrigin: https://elsewhere.example",
						PageApiTests.pageVisit(id, "/a")));
		assertCountsNothing(404, post("/api/visitors/one-too-many/pages", "application/json", pageVisit()));
		assertCountsNothing(406,
				request("POST " + pages, "Content-Type: application/json\r\nAccept: text/plain", pageVisit()));
		assertCountsNothing(413, post(pages, "application/json", pageVisit() + " ".repeat(5_000)));
		assertCountsNothing(415, post(pages, "text/plain", pageVisit()));
		for (String read : List.of(pages + "?path=a", pages + "?path=/%25zz", pages, pages + "/top?limit=0",
				pages + "/top?limit=101", pages + "/top?limit=1&limit=2", "/api/visitors?counter=Bad",
				pages + "?" + "path=/a&".repeat(101), "/api/visitors?" + "counter=a&".repeat(101))) {
			assertCountsNothing(400, raw("GET " + read + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
		}
		useBudget("/api/visitors/limited/pages", ErrorsCountNoVisitTests::pageVisit);
		assertCountsNothing(429, post("/api/visitors/limited/pages", "application/json", pageVisit()));
	}

	/** Visits until the request budget of a counter is used, whatever used it before. */
	private void useBudget(String path, Supplier<String> body) {
		for (int sent = 0; send(post(path, "application/json", body.get())).status() == 200; sent++) {
			assertThat(sent).as("visits within the budget").isLessThan(3);
		}
	}

	private void assertCountsNothing(int status, byte[] request) {
		String sent = new String(request, StandardCharsets.ISO_8859_1);
		String summary = sent.substring(0, Math.min(sent.length(), 300));
		Map<String, String> before = contents();
		RawHttp.Response response = send(request);
		assertThat(response.status()).as("%s%n%s", summary, response.text()).isEqualTo(status);
		assertThat(response.header("Content-Type")).as(summary).startsWith("application/problem+json");
		this.answeredTypes.add(type(response));
		assertThat(contents()).as("Redis after %s", summary).isEqualTo(before);
	}

	/**
	 * Every key in Redis, with the value of those that are counts; but the owner API's
	 * failed attempts, which a 401 records on purpose (the lockout counts them).
	 */
	private Map<String, String> contents() {
		Map<String, String> contents = new TreeMap<>();
		for (String key : this.redisTemplate.keys("*")) {
			// Failed owner-API logins are logged on purpose: that is the lockout.
			if (!key.startsWith("visitors:{=admin-failures}:")) {
				contents.put(key, key.endsWith(":count") ? this.redisTemplate.opsForValue().get(key) : "");
			}
		}
		return contents;
	}

	private RawHttp.Response send(byte[] request) {
		return RawHttp.exchange(this.port, request, TIMEOUT);
	}

	private static String type(RawHttp.Response response) {
		Matcher type = Pattern.compile("\"type\":\"([^\"]+)\"").matcher(response.text());
		return type.find() ? type.group(1) : "";
	}

	private static List<String> readmeErrorTypes() {
		try {
			List<String> types = new ArrayList<>();
			Matcher row = Pattern.compile("(?m)^\\| \\d{3} \\| `(urn:visitor-counter:problem:[a-z-]+)` \\|")
				.matcher(Files.readString(Path.of("README.md")));
			while (row.find()) {
				types.add(row.group(1));
			}
			assertThat(types).as("rows of README's error table").hasSizeGreaterThan(10);
			return types;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String pageVisit() {
		return PageApiTests.pageVisit(UUID.randomUUID().toString(), "/posts/hello");
	}

	private static String visit() {
		return ApiClient.visit(UUID.randomUUID().toString());
	}

	private static byte[] post(String path, String contentType, String body) {
		return request("POST " + path, "Content-Type: " + contentType, body);
	}

	/** A request with Host, a User-Agent, Connection: close and its Content-Length. */
	private static byte[] request(String requestLine, String headers, String body) {
		return raw(requestLine + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: test/1.0\r\nConnection: close\r\n"
				+ headers + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
	}

	private static byte[] raw(String request) {
		return request.getBytes(StandardCharsets.ISO_8859_1);
	}

}
