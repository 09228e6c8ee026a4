package io.github.visitorcounter.visitor;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.RedisMonitor;
import io.github.visitorcounter.testing.RedisServer;
import io.github.visitorcounter.testing.WithoutLimits;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.data.redis.core.RedisCallback;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The API end to end, over HTTP, against a real Redis.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@WithoutLimits
class VisitorApiTests extends ApiTestSupport {

	@Test
	void countsEachVisitorExactlyOnceUnderConcurrentLoad() throws Exception {
		int visitors = 1_000;
		int requests = 5_000;
		List<String> ids = IntStream.range(0, visitors).mapToObj((i) -> UUID.randomUUID().toString()).toList();
		List<String> sends = new ArrayList<>(requests);
		IntStream.range(0, requests).forEach((i) -> sends.add(ids.get(i % visitors)));
		Collections.shuffle(sends);
		Map<String, AtomicInteger> newVisitorReplies = new ConcurrentHashMap<>();
		AtomicInteger failures = new AtomicInteger();
		ExecutorService clients = Executors.newFixedThreadPool(32);
		try {
			List<Future<?>> results = new ArrayList<>();
			for (String id : sends) {
				results.add(clients.submit(() -> {
					HttpResponse<String> response = this.api.post("/api/visitors", visit(id));
					if (response.statusCode() != 200) {
						failures.incrementAndGet();
					}
					else if (response.body().contains("\"newVisitor\":true")) {
						newVisitorReplies.computeIfAbsent(id, (key) -> new AtomicInteger()).incrementAndGet();
					}
				}));
			}
			for (Future<?> result : results) {
				result.get();
			}
		}
		finally {
			clients.shutdown();
		}
		assertThat(failures).hasValue(0);
		assertThat(newVisitorReplies).hasSize(visitors)
			.allSatisfy((id, replies) -> assertThat(replies).as("newVisitor:true replies for %s", id).hasValue(1));
		assertThat(this.api.get("/api/visitors").body()).isEqualTo("{\"counter\":\"default\",\"count\":1000}");
	}

	@Test
	void registersAVisitWithOneScriptCallAndNoOtherCommand() throws Exception {
		// Loads the script and creates the counter: the first visit of a counter admits
		// it (CounterRegistryTests), every later one is a single script call.
		this.api.post("/api/visitors", visit(UUID.randomUUID().toString()));
		this.redis.execute((RedisCallback<Void>) (connection) -> {
			connection.serverCommands().resetConfigStats();
			return null;
		});
		String returning = UUID.randomUUID().toString();
		RedisServer redisServer = RedisServer.shared();
		try (RedisMonitor monitor = new RedisMonitor(redisServer.host(), redisServer.port())) {
			for (int i = 0; i < 20; i++) {
				String id = (i % 2 == 0) ? returning : UUID.randomUUID().toString();
				assertThat(this.api.post("/api/visitors", visit(id)).statusCode()).isEqualTo(200);
			}
			await().atMost(Duration.ofSeconds(5)).until(() -> monitor.clientCommands().size() >= 20);
			assertThat(monitor.clientCommands()).hasSize(20).containsOnly("evalsha");
		}
		// Commands a script runs show in commandstats too: every read of the dedupe
		// sets, every insert and every INCR and GET must come from a script call. The
		// returning visitor was new once: 11 new visitors, 9 returning visits.
		Map<String, Long> calls = commandCalls();
		assertThat(calls.get("evalsha")).isEqualTo(20L);
		assertThat(calls.get("hmget")).isEqualTo(20L);
		assertThat(calls.get("sadd")).isEqualTo(11L);
		assertThat(calls.get("incr")).isEqualTo(11L);
		// Every call reads the count first: a counter exists by it.
		assertThat(calls.get("get")).isEqualTo(20L);
	}

	@Test
	void answersAVisitAndACountWithAContentLengthInsteadOfChunks() {
		// A known length lets Tomcat send headers and body in one write; a chunked
		// response takes two (BENCHMARKS.md).
		HttpResponse<String> visit = this.api.post("/api/visitors", visit(UUID.randomUUID().toString()));
		HttpResponse<String> count = this.api.get("/api/visitors");
		assertThat(List.of(visit, count)).allSatisfy((response) -> {
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
			assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(response.body().length());
			assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
		});
	}

	@Test
	void refusesAChunkedBodyOver4KiBAndCountsNothing() {
		byte[] body = visit("a".repeat(5_000)).getBytes(StandardCharsets.US_ASCII);
		HttpResponse<String> response = this.api.post("/api/visitors",
				BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@Test
	void countsNothingForInvalidRequests() {
		String id = UUID.randomUUID().toString();
		List<HttpResponse<String>> responses = List.of(this.api.post("/api/visitors", "{\"visitorId\":"),
				this.api.post("/api/visitors", "{}"), this.api.post("/api/visitors", visit("too-short")),
				this.api.post("/api/visitors/Not-Valid", visit(id)),
				this.api.post("/api/visitors/" + "x".repeat(65), visit(id)),
				this.api.post("/api/visitors", visit(id) + " ".repeat(5_000)),
				this.api.send(this.api.request("/api/visitors")
					.header("Content-Type", "text/plain")
					.POST(BodyPublishers.ofString(id))),
				this.api.send(this.api.request("/api/visitors").PUT(BodyPublishers.ofString(visit(id)))));
		assertThat(responses).allSatisfy((response) -> {
			assertThat(response.statusCode()).isBetween(400, 499);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
		});
		assertThat(this.redis.keys("*")).isEmpty();
	}

	@Test
	void exposesOnlyHealthAndInfo() {
		assertThat(this.api.get("/actuator/health").body()).contains("\"status\":\"UP\"");
		assertThat(this.api.get("/actuator/info").statusCode()).isEqualTo(200);
		assertThat(List.of("env", "beans", "configprops", "heapdump", "threaddump", "loggers", "metrics", "mappings"))
			.allSatisfy((endpoint) -> assertThat(this.api.get("/actuator/" + endpoint).statusCode()).isEqualTo(404));
	}

	@Test
	void hasNoOwnerApiWithoutAnAdminToken() {
		assertThat(this.api.get("/api/admin/counters").statusCode()).isEqualTo(404);
		HttpResponse<String> withAToken = this.api.get("/api/admin/export", "Authorization", "Bearer anything-at-all");
		assertThat(withAToken.statusCode()).isEqualTo(404);
		assertThat(withAToken.body()).contains("urn:visitor-counter:problem:not-found");
		HttpResponse<String> reset = this.api
			.send(this.api.request("/api/admin/counters/default", "Authorization", "Bearer anything-at-all").DELETE());
		assertThat(reset.statusCode()).isEqualTo(404);
		assertThat(reset.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		// Not a 405 (wrong method) nor a 415 (wrong body type): nothing gives the API
		// away.
		HttpResponse<String> wrongMethod = this.api.post("/api/admin/counters", "{}");
		assertThat(wrongMethod.statusCode()).isEqualTo(404);
		assertThat(wrongMethod.headers().firstValue("Allow")).isEmpty();
		assertThat(this.api
			.send(this.api.request("/api/admin/counters/default", "Content-Type", "text/plain")
				.PUT(BodyPublishers.ofString("7")))
			.statusCode()).isEqualTo(404);
		assertThat(this.api.get("/v3/api-docs").body()).doesNotContain("/api/admin");
	}

	private Map<String, Long> commandCalls() {
		Properties stats = this.redis
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("commandstats"));
		Map<String, Long> calls = new ConcurrentHashMap<>();
		stats.forEach((key, value) -> {
			String command = key.toString().replace("cmdstat_", "");
			String count = value.toString().replaceAll("^calls=(\\d+),.*$", "$1");
			calls.put(command, Long.parseLong(count));
		});
		return calls;
	}

}
