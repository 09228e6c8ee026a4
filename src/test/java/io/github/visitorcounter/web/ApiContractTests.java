package io.github.visitorcounter.web;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.ApiExchanges;
import io.github.visitorcounter.testing.EventStream;
import io.github.visitorcounter.testing.OpenApiContract;
import io.github.visitorcounter.testing.OpenApiContract.Checked;
import io.github.visitorcounter.testing.RawHttp;
import io.github.visitorcounter.testing.RedisServer;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every response the OpenAPI document declares, route by route, status by status and
 * problem type by problem type, is one the running application gives, and matches the
 * document. {@link #CALLS} lists how to call each documented operation: a route added to
 * the document without its call, or a status or problem type declared that no request
 * here brings about, fails {@link #givesEveryDeclaredResponse()}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "visitors.admin-token=" + ApiContractTests.TOKEN, "visitors.counters=contract",
				"visitors.admin-import-max-size=4KB", "visitors.request-read-timeout=1s",
				"server.tomcat.connection-timeout=2s", "server.tomcat.keep-alive-timeout=60s",
				"server.forward-headers-strategy=native", "visitors.rate-limit.requests=1",
				"visitors.read-limit.requests=1", "visitors.live.max-streams=3",
				"visitors.live.max-streams-per-client=1" })
@DirtiesContext
class ApiContractTests {

	static final String TOKEN = "contract-admin-token-0123456789";

	private static final String AUTHORIZATION = "Bearer " + TOKEN;

	private static final String LARGEST_COUNT = "{\"count\":9007199254740991}";

	private static final String BIG_BODY = "{\"visitorId\":\"" + "a".repeat(5000) + "\"}";

	/**
	 * How to call each operation of the document: validly, and with something invalid in
	 * its path, query or body (or {@code null} where nothing can be invalid).
	 */
	private static final Map<String, Call> CALLS = Map.ofEntries(
			call("POST /api/visitors", "/api/visitors", Call.VISIT, Call.visitWithBody("{\"visitorId\":\"short\"}")),
			call("POST /api/visitors/{counter}", "/api/visitors/contract", Call.VISIT,
					Call.visitTo("/api/visitors/Bad")),
			call("GET /api/visitors", "/api/visitors?counter=contract", null, Call.get("/api/visitors?counter=Bad")),
			call("POST /api/visitors/{counter}/pages", "/api/visitors/contract/pages", Call.PAGE_VISIT,
					Call.withBody("POST", "/api/visitors/contract/pages",
							"{\"visitorId\":\"0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a\",\"path\":\"/a?b\"}")),
			call("GET /api/visitors/{counter}/pages", "/api/visitors/contract/pages?path=/a", null,
					Call.get("/api/visitors/contract/pages?path=/%25zz")),
			call("GET /api/visitors/{counter}/pages/top", "/api/visitors/contract/pages/top", null,
					Call.get("/api/visitors/contract/pages/top?limit=0")),
			call("GET /api/visitors/{counter}", "/api/visitors/contract", null, Call.get("/api/visitors/Bad")),
			call("GET /api/visitors/stats", "/api/visitors/stats", null, Call.get("/api/visitors/stats?days=0")),
			call("GET /api/visitors/{counter}/stats", "/api/visitors/contract/stats", null,
					Call.get("/api/visitors/Bad/stats")),
			call("GET /api/visitors/badge.svg", "/api/visitors/badge.svg", null,
					Call.get("/api/visitors/badge.svg?color=zz")),
			call("GET /api/visitors/{counter}/badge.svg", "/api/visitors/contract/badge.svg", null,
					Call.get("/api/visitors/Bad/badge.svg")),
			call("GET /api/visitors/stream", "/api/visitors/stream", null, null),
			call("GET /api/visitors/{counter}/stream", "/api/visitors/contract/stream", null,
					Call.get("/api/visitors/Bad/stream")),
			call("GET /api/admin/counters", "/api/admin/counters", null, null),
			call("PUT /api/admin/counters/{counter}", "/api/admin/counters/contract", "{\"count\":7}",
					Call.withBody("PUT", "/api/admin/counters/Bad", "{\"count\":7}")),
			call("DELETE /api/admin/counters/{counter}", "/api/admin/counters/contract", null,
					Call.withBody("DELETE", "/api/admin/counters/Bad", null)),
			call("GET /api/admin/counters/{counter}/pages", "/api/admin/counters/contract/pages", null,
					Call.get("/api/admin/counters/Bad/pages")),
			call("PUT /api/admin/counters/{counter}/pages", "/api/admin/counters/contract/pages?path=/a",
					"{\"count\":7}",
					Call.withBody("PUT", "/api/admin/counters/contract/pages?path=a", "{\"count\":7}")),
			call("DELETE /api/admin/counters/{counter}/pages", "/api/admin/counters/contract/pages?path=/a", null,
					Call.withBody("DELETE", "/api/admin/counters/contract/pages?path=a", null)),
			call("GET /api/admin/export", "/api/admin/export", null, null),
			call("POST /api/admin/import", "/api/admin/import", "{\"counters\":{\"contract\":7}}",
					Call.withBody("POST", "/api/admin/import", "{\"counters\":{\"Bad\":7}}")));

	/**
	 * No request can bring an unexpected failure about; VisitorControllerTests fakes one.
	 */
	private static final int INTERNAL_ERROR = 500;

	@RegisterExtension
	static final RedisServer redis = RedisServer.start(RedisServer.Options.plain());

	private final ApiClient api;

	private final int port;

	/** Each request comes from an address of its own unless it shares one on purpose. */
	private final AtomicInteger addresses = new AtomicInteger();

	private final List<Checked> checked = new ArrayList<>();

	@Autowired
	private LargeAnswers largeAnswers;

	ApiContractTests(@LocalServerPort int port) {
		this.port = port;
		this.api = new ApiClient(port);
	}

	@Test
	void givesEveryDeclaredResponse() {
		assertThat(new TreeSet<>(CALLS.keySet())).as("a call for each operation of the document")
			.isEqualTo(new TreeSet<>(documentedOperations()));
		this.api.awaitStorageReachable();
		redis.whileStopped(() -> CALLS.values().forEach((call) -> send(call.valid(), address())));
		this.api.awaitStorageReachable();
		// The bare path's counter, "default", is not listed: the owner creates it.
		assertThat(send("PUT /api/admin/counters/default {\"count\":0}", address()).statusCode()).isEqualTo(200);
		// The bare path without counters: the count of "default".
		assertThat(send("GET /api/visitors", address()).statusCode()).isEqualTo(200);
		for (Call call : CALLS.values()) {
			answered();
			// A stream that opens never ends: those are opened in streamsOverTheirCaps().
			boolean stream = call.path().endsWith("/stream");
			String address = address();
			if (!stream) {
				HttpResponse<String> ok = send(call.valid(), address);
				ok.headers()
					.firstValue("ETag")
					.ifPresent((etag) -> send(call.valid(), address(), "If-None-Match", etag));
				// Over budget: a second visit, stats or badge read from one address.
				send(call.valid(), address);
			}
			send(call.valid(), address(), "Accept", "image/png");
			if (call.invalid() != null) {
				send(call.invalid(), address());
			}
			// A query string that is no UTF-8, refused before any handler, on every
			// route.
			send(call.valid()
				.replace(call.path(), call.path() + (call.path().contains("?") ? "&" : "?") + "malformed=%C3%28"),
					address());
			if (call.path().startsWith("/api/visitors/contract") || call.path().endsWith("?counter=contract")) {
				// A counter the deployment neither lists nor was given by its owner.
				send(call.valid().replace("contract", "unlisted"), address());
			}
			if (call.body() != null) {
				send(call.valid().replace(call.body(), "{"), address());
				send(call.valid(), address(), "Content-Type", "text/plain");
				bodyThatStopsHalfway(call);
			}
			if (call.path().startsWith("/api/admin")) {
				send(call.valid(), address(), "Authorization", "Bearer wrong-token-0123456789");
			}
			send(call.valid(), address(), "Origin", "https://elsewhere.example");
			send(call.method() + " " + call.path() + " " + BIG_BODY, address());
		}
		adminWithoutTokenAndLockedOut();
		streamsOverTheirCaps();
		largeAnswersWhileEveryPlaceIsTaken();
		assertThat(send("DELETE /api/admin/counters/default", address()).statusCode()).isEqualTo(200);
		// A counter's stats are shared for a second after a read: the bare path's 404
		// comes
		// once an answer read while "default" was served has expired.
		await().atMost(Duration.ofSeconds(3))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> send("GET /api/visitors/stats", address()).statusCode() == 404);
		// Every route of the bare path, now that its counter is not served.
		CALLS.values()
			.stream()
			.filter((call) -> call.path().startsWith("/api/visitors") && !call.path().contains("contract"))
			.forEach((call) -> send(call.valid(), address()));
		send("GET /api/visitors", address());
		assertEveryDeclaredResponseGiven();
	}

	/**
	 * Sends half the body and waits: the answer comes at the read deadline, or, for the
	 * import, which reads its body as it arrives, when a read times out.
	 */
	private void bodyThatStopsHalfway(Call call) {
		String half = call.body().substring(0, call.body().length() / 2);
		String request = call.method() + " " + call.path() + " HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: "
				+ address() + "\r\nAuthorization: " + AUTHORIZATION
				+ "\r\nContent-Type: application/json\r\nContent-Length: " + call.body().length() + "\r\n\r\n" + half;
		RawHttp.Response response = RawHttp.exchange(this.port, request, Duration.ofSeconds(10));
		assertThat(response.status()).as(call.valid()).isEqualTo(408);
		ApiExchanges.record(call.method(), call.path().split("\\?")[0], response);
	}

	private void adminWithoutTokenAndLockedOut() {
		String address = address();
		for (int i = 0; i < 11; i++) {
			this.api.send(this.api.request("/api/admin/counters", "X-Forwarded-For", address));
		}
		CALLS.values()
			.stream()
			.filter((call) -> call.path().startsWith("/api/admin"))
			.forEach((call) -> send(call.valid(), address));
	}

	private void streamsOverTheirCaps() {
		List<EventStream> open = new ArrayList<>();
		try {
			String first = address();
			String second = address();
			open.add(EventStream.open(this.port, "/api/visitors/contract/stream", "X-Forwarded-For", first));
			open.add(EventStream.open(this.port, "/api/visitors/stream", "X-Forwarded-For", second));
			assertThat(open).allSatisfy((stream) -> assertThat(stream.status()).isEqualTo(200));
			// The second stream of one address.
			assertThat(send("GET /api/visitors/stream", first).statusCode()).isEqualTo(429);
			assertThat(send("GET /api/visitors/contract/stream", second).statusCode()).isEqualTo(429);
			// More streams than the instance serves.
			open.add(EventStream.open(this.port, "/api/visitors/stream", "X-Forwarded-For", address()));
			assertThat(open.get(2).status()).isEqualTo(200);
			assertThat(send("GET /api/visitors/stream", address()).statusCode()).isEqualTo(503);
			assertThat(send("GET /api/visitors/contract/stream", address()).statusCode()).isEqualTo(503);
		}
		finally {
			open.forEach(EventStream::close);
		}
	}

	/**
	 * Each operation whose answer may be larger than a socket's buffers always hold, with
	 * such an answer, while every place for one is taken.
	 */
	private void largeAnswersWhileEveryPlaceIsTaken() {
		List<String> counters = new ArrayList<>();
		List<String> paths = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			counters.add("%064d".formatted(i));
			paths.add("/%064d".formatted(i));
			assertThat(send("PUT /api/admin/counters/" + counters.get(i) + " " + LARGEST_COUNT, address()).statusCode())
				.isEqualTo(200);
			assertThat(
					send("PUT /api/admin/counters/contract/pages?path=" + paths.get(i) + " " + LARGEST_COUNT, address())
						.statusCode())
				.isEqualTo(200);
		}
		List<String> large = List.of("GET /api/visitors/stats?days=365", "GET /api/visitors/contract/stats?days=365",
				"GET /api/visitors?counter=" + String.join("&counter=", counters),
				"GET /api/visitors/contract/pages?path=" + String.join("&path=", paths),
				"GET /api/visitors/contract/pages/top?limit=100", "GET /api/admin/counters/contract/pages");
		for (String request : large) {
			HttpResponse<String> answer = send(request, address());
			assertThat(answer.statusCode()).as(request).isEqualTo(200);
			assertThat(answer.body()).as(request).hasSizeGreaterThan(LargeAnswers.LARGE);
		}
		List<String> holders = new ArrayList<>();
		while (this.largeAnswers.places().tryTake("holder-" + holders.size()) == AddressSlots.Outcome.TAKEN) {
			holders.add("holder-" + holders.size());
		}
		try {
			for (String request : large) {
				assertThat(send(request, address()).statusCode()).as(request).isEqualTo(503);
			}
		}
		finally {
			holders.forEach(this.largeAnswers.places()::release);
		}
	}

	private void assertEveryDeclaredResponseGiven() {
		answered();
		Set<String> declared = new TreeSet<>();
		OpenApiContract.published()
			.openApi()
			.getPaths()
			.forEach((path, item) -> item.readOperationsMap()
				.forEach((method, operation) -> operation.getResponses().forEach((status, response) -> {
					if (Integer.parseInt(status) != INTERNAL_ERROR) {
						problemTypes(response)
							.forEach((type) -> declared.add(method + " " + path + " " + status + " " + type));
					}
				})));
		Set<String> given = new TreeSet<>();
		this.checked.forEach((checked) -> {
			assertThat(checked.violations()).as("%s %d", checked.operation(), checked.status()).isEmpty();
			given.add(checked.operation() + " " + checked.status() + " " + checked.problemType());
		});
		assertThat(declared).as("responses declared").hasSizeGreaterThan(CALLS.size() * 5);
		assertThat(given).as("responses given").containsAll(declared);
		assertThat(declared).as("responses declared").containsAll(given);
	}

	/**
	 * The problem types of a response, or {@code null} alone for one that is no problem.
	 */
	private static List<String> problemTypes(ApiResponse response) {
		if (response.getContent() == null || !response.getContent().containsKey("application/problem+json")) {
			return Collections.singletonList(null);
		}
		Schema<?> type = (Schema<?>) response.getContent()
			.get("application/problem+json")
			.getSchema()
			.getProperties()
			.get("type");
		return type.getEnum().stream().map(String::valueOf).toList();
	}

	private Set<String> documentedOperations() {
		Set<String> operations = new TreeSet<>();
		OpenApiContract.published()
			.openApi()
			.getPaths()
			.forEach((path, item) -> item.readOperationsMap()
				.keySet()
				.forEach((method) -> operations.add(method + " " + path)));
		return operations;
	}

	private void answered() {
		ApiExchanges.drain()
			.forEach((exchange) -> OpenApiContract.published().check(exchange).ifPresent(this.checked::add));
	}

	/**
	 * Sends {@code "METHOD /path[ body]"} with the owner's token, from an address, with
	 * further headers.
	 */
	private HttpResponse<String> send(String request, String address, String... headers) {
		String[] parts = request.split(" ", 3);
		HttpRequest.Builder builder = this.api.request(parts[1], "X-Forwarded-For", address, "Authorization",
				AUTHORIZATION);
		boolean typed = false;
		for (int i = 0; i < headers.length; i += 2) {
			builder.setHeader(headers[i], headers[i + 1]);
			typed |= headers[i].equals("Content-Type");
		}
		if (parts.length == 3) {
			if (!typed) {
				builder.header("Content-Type", "application/json");
			}
			builder.method(parts[0], BodyPublishers.ofString(parts[2]));
		}
		else {
			builder.method(parts[0], BodyPublishers.noBody());
		}
		return this.api.send(builder);
	}

	private String address() {
		int n = this.addresses.incrementAndGet();
		return "198.51." + (n / 250) + "." + (n % 250 + 1);
	}

	private static Map.Entry<String, Call> call(String operation, String path, String body, String invalid) {
		String method = operation.split(" ")[0];
		return Map.entry(operation, new Call(method, path, body, invalid));
	}

	/**
	 * @param method the operation's method
	 * @param path a path of the operation
	 * @param body a valid JSON body, or {@code null}
	 * @param invalid a request with something invalid, as {@code "METHOD /path[ body]"}
	 */
	private record Call(String method, String path, String body, String invalid) {

		static final String VISIT = "{\"visitorId\":\"0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a\"}";

		static final String PAGE_VISIT = "{\"visitorId\":\"0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a\",\"path\":\"/a\"}";

		String valid() {
			return this.method + " " + this.path + ((this.body != null) ? " " + this.body : "");
		}

		static String get(String path) {
			return "GET " + path;
		}

		static String visitTo(String path) {
			return "POST " + path + " " + VISIT;
		}

		static String visitWithBody(String body) {
			return "POST /api/visitors " + body;
		}

		static String withBody(String method, String path, String body) {
			return method + " " + path + ((body != null) ? " " + body : "");
		}

	}

}
