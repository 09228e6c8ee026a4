package io.github.visitorcounter.live;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.EventStream;
import io.github.visitorcounter.testing.VisitLoad;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a stream does with its connection: it is released as soon as its client closes or
 * resets it (the heartbeat here is the default 15 s, so no write finds it), a client that
 * stops reading is dropped without holding up anyone else, and the per-address cap counts
 * open streams only, an IPv6 /64 as one address.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { LiveTests.NO_LIMITS, LiveTests.NO_CAP, "visitors.live.max-streams-per-client=3",
				"visitors.live.min-event-interval=0ms", "server.forward-headers-strategy=native" })
class LiveConnectionTests extends ApiTestSupport {

	private static final Duration RELEASED_WITHIN = Duration.ofSeconds(1);

	/** As long as a name may be: long events fill a stuck client's buffers sooner. */
	private static final String FLOOD = "flood-" + "x".repeat(58);

	private final List<AutoCloseable> clients = new ArrayList<>();

	@Autowired
	private ChangeFeed changeFeed;

	@AfterEach
	void closeClients() throws Exception {
		for (AutoCloseable client : this.clients) {
			client.close();
		}
		await().atMost(RELEASED_WITHIN).until(() -> this.changeFeed.openStreams() == 0);
	}

	@Test
	void releasesAStreamWithinASecondOfItsClientClosingIt() {
		assertReleasedWithinASecond(RawStream::close);
	}

	@Test
	void releasesAStreamWithinASecondOfItsClientResettingIt() {
		assertReleasedWithinASecond(RawStream::reset);
	}

	@Test
	void countsOnlyOpenStreamsAgainstTheClientCap() {
		List<RawStream> streams = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			streams.add(open("/api/visitors/capped/stream", "X-Forwarded-For: 203.0.113.5"));
		}
		assertThat(open("/api/visitors/capped/stream", "X-Forwarded-For: 203.0.113.5").status()).isEqualTo(429);
		streams.get(0).close();
		streams.get(1).reset();
		await().atMost(RELEASED_WITHIN).until(() -> this.changeFeed.openStreams() == 1);
		for (int i = 0; i < 2; i++) {
			assertThat(open("/api/visitors/capped/stream", "X-Forwarded-For: 203.0.113.5").status()).isEqualTo(200);
		}
		assertThat(open("/api/visitors/capped/stream", "X-Forwarded-For: 203.0.113.5").status()).isEqualTo(429);
	}

	@Test
	void capsAnIpv6ClientByItsSlash64() {
		for (String address : List.of("2001:db8:0:1::1", "2001:db8:0:1::2", "2001:db8:0:1:ffff:ffff:ffff:ffff")) {
			assertThat(open("/api/visitors/six/stream", "X-Forwarded-For: " + address).status()).isEqualTo(200);
		}
		RawStream refused = open("/api/visitors/six/stream", "X-Forwarded-For: 2001:db8:0:1:abcd::7");
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.head()).contains("application/problem+json");
		assertThat(open("/api/visitors/six/stream", "X-Forwarded-For: 2001:db8:0:2::1").status()).isEqualTo(200);
	}

	@Test
	void dropsAClientThatStopsReadingWithoutDelayingTheOthers() {
		// A small receive buffer, never read: the server's buffers for it fill after a
		// few hundred events.
		RawStream stuck = open("/api/visitors/" + FLOOD + "/stream", 1024);
		assertThat(stuck.status()).isEqualTo(200);
		EventStream reader = EventStream.open(this.port, "/api/visitors/" + FLOOD + "/stream");
		this.clients.add(reader);
		reader.awaitCount(0, Duration.ofSeconds(2));

		ConcurrentLinkedQueue<long[]> probes = new ConcurrentLinkedQueue<>();
		try (VisitLoad flood = VisitLoad.start(new ApiClient(this.port), "/api/visitors/" + FLOOD, 3, Duration.ZERO)) {
			ApiClient prober = new ApiClient(this.port);
			await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
				probes.add(probe(prober));
				return this.changeFeed.openStreams() == 1;
			});
			// A few more while the flood goes on, after the drop.
			for (int i = 0; i < 5; i++) {
				probes.add(probe(prober));
			}
		}
		assertThat(stuck.endedByServer(Duration.ofSeconds(5))).as("the stuck client's connection closed").isTrue();
		// Each visit a probe registered reached the reading client within half a second,
		// before and after the drop.
		for (long[] probe : probes) {
			EventStream.Event event = await().atMost(Duration.ofSeconds(2))
				.until(() -> reader.events().stream().filter((e) -> e.count() >= probe[0]).findFirst().orElse(null),
						(found) -> found != null);
			assertThat(Duration.ofNanos(event.receivedNanos() - probe[1])).as("delay of count %d", probe[0])
				.isLessThan(Duration.ofMillis(500));
		}
		assertThat(probes).hasSizeGreaterThan(5);
	}

	@Test
	void answersHeadWithTheStreamsHeadAndOpensNoStream() {
		HttpResponse<String> response = this.api
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/api/visitors/blog/stream"))
				.method("HEAD", HttpRequest.BodyPublishers.noBody()));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
		assertThat(this.changeFeed.openStreams()).isZero();
	}

	private void assertReleasedWithinASecond(Consumer<RawStream> leave) {
		RawStream stream = open("/api/visitors/leaving/stream");
		assertThat(stream.status()).isEqualTo(200);
		assertThat(stream.nextEvent()).contains("\"count\":0");
		assertThat(this.changeFeed.openStreams()).isEqualTo(1);
		leave.accept(stream);
		await().atMost(RELEASED_WITHIN)
			.pollInterval(Duration.ofMillis(20))
			.until(() -> this.changeFeed.openStreams() == 0);
	}

	/** Registers a visit: its count, and when it was sent. */
	private static long[] probe(ApiClient api) {
		long sent = System.nanoTime();
		HttpResponse<String> response = api.post("/api/visitors/" + FLOOD, visit(UUID.randomUUID().toString()));
		assertThat(response.statusCode()).isEqualTo(200);
		return new long[] { Long.parseLong(response.body().replaceAll(".*\"count\":(\\d+).*", "$1")), sent };
	}

	private RawStream open(String path, String... headers) {
		return open(path, 0, headers);
	}

	private RawStream open(String path, int receiveBuffer, String... headers) {
		RawStream stream = RawStream.open(this.port, path, receiveBuffer, headers);
		this.clients.add(stream);
		return stream;
	}

}
