package io.github.visitorcounter.live;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.DirectRedis;
import io.github.visitorcounter.testing.EventStream;
import io.github.visitorcounter.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
 * Live streams while the Redis this test owns goes down, comes back, or hangs: open
 * streams resume on their own, new ones are refused fast, and nothing piles up.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { LiveTests.NO_LIMITS, LiveTests.NO_CAP, LiveTests.FAST_HEARTBEAT, LiveTests.FAST_RESYNC,
				"visitors.live.max-streams-per-client=20" })
@DirtiesContext
class LiveOutageTests {

	/** Longest refusal of a new stream: the 2 s subscription wait and some slack. */
	private static final Duration FAST = Duration.ofSeconds(3);

	/** Appends every write, so a restart keeps the counts and streams can carry on. */
	@RegisterExtension
	static final RedisServer redis = RedisServer.start(RedisServer.Options.persisted());

	@LocalServerPort
	private int port;

	@Autowired
	private ChangeFeed changeFeed;

	private ApiClient api;

	private final List<EventStream> streams = new ArrayList<>();

	@BeforeEach
	void setUp() {
		this.api = new ApiClient(this.port);
		// A previous test may have just restarted Redis: wait until the app is connected
		// again.
		this.api.awaitStorageReachable();
	}

	@AfterEach
	void closeStreams() {
		this.streams.forEach(EventStream::close);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.changeFeed.openStreams() == 0);
	}

	@Test
	void resumesOpenStreamsAndTheirSubscriptionWhenRedisComesBack() {
		EventStream stream = open("/api/visitors/restarted/stream");
		stream.awaitCount(0, Duration.ofSeconds(2));
		registerVisitOn("restarted");
		stream.awaitCount(1, Duration.ofSeconds(2));

		redis.stop();
		try {
			int heartbeats = stream.comments().size();
			// Heartbeats go on: the stream stays open for its client.
			await().atMost(Duration.ofSeconds(3)).until(() -> stream.comments().size() >= heartbeats + 3);
			assertThat(stream.ended()).isFalse();
		}
		finally {
			redis.restart();
		}
		// Lettuce reconnects and subscribes the channel again, on the new server.
		await().atMost(Duration.ofSeconds(10)).until(() -> shardSubscribers("visitors:{restarted}:changes") == 1);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.api.post("/api/visitors/restarted", ApiClient.visit(UUID.randomUUID().toString()))
				.statusCode() == 200);
		stream.awaitCount(2, Duration.ofSeconds(2));
		registerVisitOn("restarted");
		stream.awaitCount(3, Duration.ofSeconds(2));
		assertThat(stream.ended()).isFalse();
	}

	@Test
	void picksUpChangesMadeWhileItsSubscriptionWasDown() {
		EventStream stream = open("/api/visitors/missed/stream");
		stream.awaitCount(0, Duration.ofSeconds(2));
		redis.stop();
		redis.restart();
		// Written behind the application's back, as if its change message had been lost
		// while it was reconnecting: the next re-read still finds it.
		try (DirectRedis direct = new DirectRedis(redis)) {
			direct.commands().set("visitors:{missed}:count", "7");
		}
		stream.awaitCount(7, Duration.ofSeconds(5));
	}

	@Test
	void refusesNewStreamsFastWhileRedisIsDownOrHangs() {
		open("/api/visitors/watched/stream").awaitCount(0, Duration.ofSeconds(2));
		redis.stop();
		try {
			assertStorageUnavailableFast("/api/visitors/unwatched/stream");
			assertStorageUnavailableFast("/api/visitors/watched/stream");
		}
		finally {
			redis.restart();
		}
		this.api.awaitStorageReachable();
		redis.freeze();
		try {
			assertStorageUnavailableFast("/api/visitors/unwatched/stream");
			assertStorageUnavailableFast("/api/visitors/watched/stream");
		}
		finally {
			redis.thaw();
		}
		assertThat(this.changeFeed.openStreams()).isEqualTo(1);
		EventStream afterwards = open("/api/visitors/unwatched/stream");
		afterwards.awaitCount(0, Duration.ofSeconds(5));
		registerVisitOn("unwatched");
		afterwards.awaitCount(1, Duration.ofSeconds(2));
	}

	@Test
	void leaksNeitherThreadsNorConnectionsOverRepeatedOutages() {
		outageCycle(0);
		List<String> threadsAfterOne = applicationThreads();
		for (int cycle = 1; cycle <= 3; cycle++) {
			outageCycle(cycle);
		}
		// Ten streams per cycle: a thread per stream, per failed re-read or per
		// reconnect would show here. The slack covers pools that start their threads
		// lazily, up to one or two per core (Lettuce, virtual-thread carriers; the
		// task pool that sends on Java 17).
		int slack = 2 + 2 * Runtime.getRuntime().availableProcessors();
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(applicationThreads())
				.as("threads after four outages vs after one: %s", threadsAfterOne)
				.hasSizeLessThanOrEqualTo(threadsAfterOne.size() + slack));
		try (DirectRedis direct = new DirectRedis(redis)) {
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(direct.commands().clientList().lines().filter((client) -> {
					String ssub = client.replaceAll(".* ssub=(\\d+).*", "$1");
					String sub = client.replaceAll(".* sub=(\\d+).*", "$1");
					return !ssub.equals("0") || !sub.equals("0");
				})).as("subscribed connections").hasSizeLessThanOrEqualTo(1));
		}
	}

	/** Ten streams through a stop and a freeze of Redis, then closed by their clients. */
	private void outageCycle(int cycle) {
		List<EventStream> cycleStreams = IntStream.range(0, 10)
			.mapToObj((i) -> open("/api/visitors/cycle-" + i + "/stream"))
			.toList();
		cycleStreams.forEach((stream) -> await().atMost(Duration.ofSeconds(2)).until(() -> !stream.events().isEmpty()));
		redis.stop();
		try {
			assertStorageUnavailableFast("/api/visitors/cycle-new-" + cycle + "/stream");
		}
		finally {
			redis.restart();
		}
		this.api.awaitStorageReachable();
		redis.freeze();
		try {
			// Re-reads time out meanwhile.
			sleepQuietly(Duration.ofSeconds(2));
		}
		finally {
			redis.thaw();
		}
		long before = cycleStreams.get(0).lastCount();
		registerVisitOn("cycle-0");
		cycleStreams.get(0).awaitCount(before + 1, Duration.ofSeconds(5));
		cycleStreams.forEach(EventStream::close);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.changeFeed.openStreams() == 0);
	}

	/** Live platform threads, without the test's own HTTP clients and stream readers. */
	private static List<String> applicationThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.map(Thread::getName)
			.filter((name) -> !name.equals("event-stream-reader") && !name.startsWith("HttpClient-"))
			.sorted()
			.toList();
	}

	private void assertStorageUnavailableFast(String path) {
		long started = System.nanoTime();
		HttpResponse<String> response = this.api.get(path);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answer time").isLessThan(FAST);
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("urn:visitor-counter:problem:storage-unavailable");
	}

	private void registerVisitOn(String counter) {
		assertThat(
				this.api.post("/api/visitors/" + counter, ApiClient.visit(UUID.randomUUID().toString())).statusCode())
			.isEqualTo(200);
	}

	private EventStream open(String path) {
		EventStream stream = EventStream.open(this.port, path);
		this.streams.add(stream);
		return stream;
	}

	private static long shardSubscribers(String channel) {
		try (DirectRedis direct = new DirectRedis(redis)) {
			return direct.shardSubscribers(channel);
		}
	}

	private static void sleepQuietly(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
