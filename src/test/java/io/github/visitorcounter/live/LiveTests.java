package io.github.visitorcounter.live;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.visitorcounter.VisitorCounterApplication;
import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.DirectRedis;
import io.github.visitorcounter.testing.EventStream;
import io.github.visitorcounter.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.ConfigurableApplicationContext;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live counts end to end: real Redis pub/sub, real HTTP streams, and a second instance
 * where instances matter.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { LiveTests.NO_LIMITS, LiveTests.NO_CAP, LiveTests.FAST_HEARTBEAT, "visitors.live.max-streams=6",
				"visitors.live.max-streams-per-client=3", "server.forward-headers-strategy=native" })
class LiveTests extends ApiTestSupport {

	static final String NO_LIMITS = "visitors.rate-limit.enabled=false";

	static final String NO_CAP = "visitors.new-visitor-cap.enabled=false";

	static final String FAST_HEARTBEAT = "visitors.live.heartbeat=300ms";

	static final String FAST_RESYNC = "visitors.live.resync-interval=300ms";

	private final List<EventStream> streams = new ArrayList<>();

	@Autowired
	private ChangeFeed changeFeed;

	@AfterEach
	void closeStreams() {
		this.streams.forEach(EventStream::close);
		// A closed client is noticed at once, which frees its slot.
		await().atMost(Duration.ofSeconds(5)).until(() -> this.changeFeed.openStreams() == 0);
	}

	@Test
	void sendsTheCurrentCountAtOnceThenEachChange() {
		this.redis.opsForValue().set("visitors:{blog}:count", "41");
		EventStream stream = open(this.port, "/api/visitors/blog/stream");
		assertThat(stream.status()).isEqualTo(200);
		assertThat(stream.response().headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("text/event-stream"));
		EventStream.Event first = stream.awaitCount(41, Duration.ofSeconds(2));
		assertThat(first.id()).isEqualTo("41");
		assertThat(first.data()).isEqualTo("{\"counter\":\"blog\",\"count\":41}");

		this.api.post("/api/visitors/blog", visit(UUID.randomUUID().toString()));
		assertThat(stream.awaitCount(42, Duration.ofSeconds(2)).id()).isEqualTo("42");
	}

	@Test
	void servesTheDefaultCounterOnTheBarePath() {
		EventStream stream = open(this.port, "/api/visitors/stream");
		stream.awaitCount(0, Duration.ofSeconds(2));
		this.api.post("/api/visitors", visit(UUID.randomUUID().toString()));
		assertThat(stream.awaitCount(1, Duration.ofSeconds(2)).data()).contains("\"counter\":\"default\"");
	}

	@Test
	void refusesAnInvalidCounterName() {
		var response = this.api.get("/api/visitors/Blog/stream");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("urn:visitor-counter:problem:invalid-request");
	}

	@Test
	void deliversAVisitOnOneInstanceToAStreamOnAnotherWithinASecond() {
		try (ConfigurableApplicationContext second = startSecondInstance()) {
			int secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
			List<EventStream> onSecond = List.of(open(secondPort, "/api/visitors/shared/stream"),
					open(secondPort, "/api/visitors/shared/stream", "X-Forwarded-For", "203.0.113.9"));
			EventStream onFirst = open(this.port, "/api/visitors/shared/stream");
			onSecond.forEach((stream) -> stream.awaitCount(0, Duration.ofSeconds(2)));
			onFirst.awaitCount(0, Duration.ofSeconds(2));
			// One subscription per instance, not per client: two instances, two
			// subscribers.
			assertThat(shardSubscribers("visitors:{shared}:changes")).isEqualTo(2);

			long sent = System.nanoTime();
			this.api.post("/api/visitors/shared", visit(UUID.randomUUID().toString()));
			for (EventStream stream : onSecond) {
				assertThat(Duration.ofNanos(stream.awaitCount(1, Duration.ofSeconds(1)).receivedNanos() - sent))
					.isLessThan(Duration.ofSeconds(1));
			}
			onFirst.awaitCount(1, Duration.ofSeconds(1));
			onSecond.forEach(EventStream::close);
		}
	}

	@Test
	void resumesFromLastEventIdWithoutRepeatingTheCount() throws InterruptedException {
		this.redis.opsForValue().set("visitors:{blog}:count", "5");
		EventStream upToDate = open(this.port, "/api/visitors/blog/stream", "Last-Event-ID", "5");
		EventStream behind = open(this.port, "/api/visitors/blog/stream", "Last-Event-ID", "3");
		behind.awaitCount(5, Duration.ofSeconds(2));
		// Heartbeats arrive, but no event: the client already shows 5.
		await().atMost(Duration.ofSeconds(2)).until(() -> upToDate.comments().size() >= 2);
		assertThat(upToDate.events()).isEmpty();

		this.api.post("/api/visitors/blog", visit(UUID.randomUUID().toString()));
		assertThat(upToDate.awaitCount(6, Duration.ofSeconds(2)).id()).isEqualTo("6");
		assertThat(upToDate.events()).hasSize(1);
	}

	@Test
	void sendsAHeartbeatCommentAtTheConfiguredInterval() {
		EventStream stream = open(this.port, "/api/visitors/quiet/stream");
		await().atMost(Duration.ofSeconds(2)).until(() -> stream.comments().size() >= 3);
		assertThat(stream.comments()).allSatisfy((comment) -> assertThat(comment).isEqualTo("heartbeat"));
	}

	@Test
	void capsStreamsPerClientAddressAndPerInstance() {
		for (int i = 0; i < 3; i++) {
			assertThat(open(this.port, "/api/visitors/blog/stream", "X-Forwarded-For", "203.0.113.1").status())
				.isEqualTo(200);
		}
		var perClient = this.api.get("/api/visitors/blog/stream", "X-Forwarded-For", "203.0.113.1");
		assertThat(perClient.statusCode()).isEqualTo(429);
		assertThat(perClient.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(perClient.headers().firstValue("Retry-After")).isPresent();
		assertThat(perClient.body()).contains("urn:visitor-counter:problem:too-many-client-streams");

		for (int i = 0; i < 3; i++) {
			assertThat(open(this.port, "/api/visitors/blog/stream", "X-Forwarded-For", "203.0.113.2").status())
				.isEqualTo(200);
		}
		var perInstance = this.api.get("/api/visitors/blog/stream", "X-Forwarded-For", "203.0.113.3");
		assertThat(perInstance.statusCode()).isEqualTo(503);
		assertThat(perInstance.body()).contains("urn:visitor-counter:problem:too-many-streams");

		// A closed stream frees its slot.
		this.streams.get(0).close();
		await().atMost(Duration.ofSeconds(3)).until(() -> this.changeFeed.openStreams() == 5);
		assertThat(open(this.port, "/api/visitors/blog/stream", "X-Forwarded-For", "203.0.113.3").status())
			.isEqualTo(200);
	}

	@Test
	void coalescesABurstIntoFewEventsEndingWithTheExactCount() throws Exception {
		List<EventStream> clients = List.of(open(this.port, "/api/visitors/burst/stream"),
				open(this.port, "/api/visitors/burst/stream"));
		clients.forEach((stream) -> stream.awaitCount(0, Duration.ofSeconds(2)));
		ExecutorService posters = Executors.newFixedThreadPool(4);
		try {
			List<Future<?>> batches = new ArrayList<>();
			for (int batch = 0; batch < 4; batch++) {
				batches.add(posters.submit(() -> {
					ApiClient api = new ApiClient(this.port);
					for (int i = 0; i < 500; i++) {
						api.post("/api/visitors/burst", visit(UUID.randomUUID().toString()));
					}
				}));
			}
			for (Future<?> batch : batches) {
				batch.get();
			}
		}
		finally {
			posters.shutdown();
		}
		assertThat(this.redis.opsForValue().get("visitors:{burst}:count")).isEqualTo("2000");
		for (EventStream stream : clients) {
			stream.awaitCount(2000, Duration.ofSeconds(3));
			assertThat(stream.lastCount()).isEqualTo(2000);
			// At most one event per 250 ms: far fewer events than visits.
			assertThat(stream.events()).hasSizeLessThan(200);
			List<Long> counts = stream.events().stream().map(EventStream.Event::count).toList();
			assertThat(counts).isSorted().doesNotHaveDuplicates();
		}
	}

	@Test
	void endsStreamsCleanlyAndQuicklyOnShutdown() {
		ConfigurableApplicationContext second = startSecondInstance();
		int secondPort = Integer.parseInt(second.getEnvironment().getProperty("local.server.port"));
		EventStream stream = open(secondPort, "/api/visitors/blog/stream");
		stream.awaitCount(0, Duration.ofSeconds(2));
		long closing = System.nanoTime();
		second.close();
		// Graceful shutdown waits up to 20 s for open requests: streams must not hold
		// it.
		assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(10));
		await().atMost(Duration.ofSeconds(5)).until(stream::ended);
	}

	private EventStream open(int port, String path, String... headers) {
		EventStream stream = EventStream.open(port, path, headers);
		this.streams.add(stream);
		return stream;
	}

	private static long shardSubscribers(String channel) {
		try (DirectRedis direct = new DirectRedis(RedisServer.shared())) {
			return direct.shardSubscribers(channel);
		}
	}

	private static ConfigurableApplicationContext startSecondInstance() {
		return new SpringApplicationBuilder(VisitorCounterApplication.class).run("--" + NO_LIMITS, "--" + NO_CAP,
				"--" + FAST_HEARTBEAT, "--server.port=0", "--spring.data.redis.url=" + RedisServer.shared().url());
	}

}
