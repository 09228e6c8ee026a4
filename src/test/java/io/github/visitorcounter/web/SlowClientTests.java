package io.github.visitorcounter.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.web.SlowClients.Ending;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A thousand clients from one address that send their requests a byte every two seconds,
 * so that no single read ever times out: meanwhile another client's GETs and POSTs (on a
 * kept-alive connection, as a browser's) are answered as usual, and each slow request is
 * ended within the request read timeout (10 s, the default) of when it began, however it
 * trickles; a body beyond the most awaited at once from one address (32, the default) at
 * once.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "visitors.rate-limit.enabled=false", "visitors.new-visitor-cap.enabled=false" })
class SlowClientTests extends ApiTestSupport {

	private static final int SLOW_CLIENTS = 1_000;

	/** Bodies awaited at once from one client address (the default). */
	private static final int MAX_PENDING_BODIES_PER_CLIENT = 32;

	private static final Duration TRICKLE_INTERVAL = Duration.ofSeconds(2);

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

	/** The timeout, plus Tomcat's one-second timeout checks and a busy machine. */
	private static final Duration ENDED_WITHIN = READ_TIMEOUT.plusSeconds(4);

	private static final Duration P99_LATENCY = Duration.ofMillis(250);

	@Test
	void bodiesSentAByteAtATimeNeitherStarveOthersNorOutliveTheirDeadline() {
		String head = "POST /api/visitors HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow/1.0\r\n"
				+ "Content-Type: application/json\r\nContent-Length: 4096\r\n\r\n{\"visitorId\":\"";
		List<Ending> endings = underSlowClients(head, "a", MAX_PENDING_BODIES_PER_CLIENT);
		assertThat(endings).allSatisfy((ending) -> {
			assertThat(ending.lasted()).as("ended in time").isLessThanOrEqualTo(ENDED_WITHIN);
			if (!ending.answer().isEmpty()) {
				assertThat(ending.answer()).startsWith("HTTP/1.1 408 ")
					.contains("application/problem+json")
					.contains("urn:visitor-counter:problem:request-timeout");
			}
		});
		assertThat(endings).as("answered rather than just cut off")
			.filteredOn((ending) -> !ending.answer().isEmpty())
			.hasSizeGreaterThan(SLOW_CLIENTS * 9 / 10);
		assertThat(endings).as("awaited until their deadline")
			.filteredOn((ending) -> ending.bytesSent() > head.length() + 2)
			.hasSizeGreaterThan(MAX_PENDING_BODIES_PER_CLIENT * 9 / 10)
			.hasSizeLessThanOrEqualTo(MAX_PENDING_BODIES_PER_CLIENT);
	}

	@Test
	void chunkSizeLinesSentAByteAtATimeNeitherStarveOthersNorOutliveTheirDeadline() {
		// A chunk extension that never ends: the chunk's size line is never complete.
		String head = "POST /api/visitors HTTP/1.1\r\nHost: localhost\r\nUser-Agent: slow/1.0\r\n"
				+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1;";
		List<Ending> endings = underSlowClients(head, "x", MAX_PENDING_BODIES_PER_CLIENT);
		assertThat(endings).allSatisfy((ending) -> {
			assertThat(ending.lasted()).as("ended in time").isLessThanOrEqualTo(ENDED_WITHIN);
			if (!ending.answer().isEmpty()) {
				assertThat(ending.answer()).startsWith("HTTP/1.1 408 ");
			}
		});
	}

	@Test
	void headersSentAByteAtATimeNeitherStarveOthersNorOutliveTheirDeadline() {
		String head = "GET /api/visitors HTTP/1.1\r\nHost: localhost\r\n";
		List<Ending> endings = underSlowClients(head, "X-Slow: a\r\n", SLOW_CLIENTS);
		assertThat(endings).allSatisfy((ending) -> {
			assertThat(ending.bytesSent()).as("it trickled").isGreaterThan(head.length() + 2);
			assertThat(ending.lasted()).as("ended in time").isLessThanOrEqualTo(ENDED_WITHIN);
		});
	}

	@Test
	void blankLinesSentAByteAtATimeDoNotOutliveTheDeadline() {
		List<Ending> endings = underSlowClients("\r\n", "\r\n", SLOW_CLIENTS);
		assertThat(endings).allSatisfy((ending) -> {
			assertThat(ending.bytesSent()).as("it trickled").isGreaterThan(4);
			assertThat(ending.lasted()).as("ended in time").isLessThanOrEqualTo(ENDED_WITHIN);
		});
	}

	/**
	 * Measures an ordinary client's GETs and POSTs, then starts the slow clients and
	 * measures them again while they trickle, and waits (a bounded time) until the server
	 * has ended every slow request.
	 * @param waitedFor how many of the slow clients the server waits for (until their
	 * deadline) rather than ends at once
	 */
	private List<Ending> underSlowClients(String head, String trickle, int waitedFor) {
		Latencies before = ordinaryRequestsUntil(System.nanoTime() + Duration.ofSeconds(4).toNanos());
		try (SlowClients slow = SlowClients.start(address("127.0.0.2"), this.port, SLOW_CLIENTS, head, trickle,
				TRICKLE_INTERVAL)) {
			await().atMost(Duration.ofSeconds(30)).until(() -> slow.open() + slow.ended() == SLOW_CLIENTS);
			// While all of them trickle: until the first of them is due to be ended.
			Latencies during = ordinaryRequestsUntil(slow.firstStartedAt() + READ_TIMEOUT.minusSeconds(1).toNanos());
			System.out.println("Ordinary requests: " + before + " before, " + during + " while slow clients trickle");
			assertThat(slow.open()).as("slow clients still trickling when the measurement ended")
				.isGreaterThan(waitedFor * 9 / 10);
			assertThat(during.failures()).as("ordinary requests that failed").isEmpty();
			assertThat(during.nanos()).hasSizeGreaterThan(50);
			// 250 ms; on a machine so busy that it answers slower than half that without
			// slow clients, twice what it does without them.
			Duration limit = Duration.ofNanos(Math.max(P99_LATENCY.toNanos(), 2 * before.p99()));
			assertThat(Duration.ofNanos(during.p99()))
				.as("p99 of ordinary requests: %s while slow clients trickle, %s before", during, before)
				.isLessThanOrEqualTo(limit);
			await().atMost(ENDED_WITHIN.plusSeconds(10)).until(() -> slow.ended() == SLOW_CLIENTS);
			return slow.endings();
		}
		catch (Exception ex) {
			throw (ex instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
		}
	}

	/** GETs and POSTs, one after the other, on a kept-alive connection. */
	private Latencies ordinaryRequestsUntil(long until) {
		Latencies latencies = new Latencies(new ArrayList<>(), new ArrayList<>());
		while (System.nanoTime() < until) {
			measure(this.api.request("/api/visitors").GET(), latencies);
			measure(this.api.request("/api/visitors")
				.header("Content-Type", "application/json")
				.header("User-Agent", "ordinary/1.0")
				.POST(BodyPublishers.ofString(ApiClient.visit(UUID.randomUUID().toString()))), latencies);
		}
		return latencies;
	}

	private void measure(HttpRequest.Builder request, Latencies latencies) {
		long started = System.nanoTime();
		try {
			HttpResponse<String> response = this.api.send(request);
			if (response.statusCode() != 200) {
				latencies.failures().add(response.statusCode() + " " + response.body());
			}
		}
		catch (RuntimeException ex) {
			latencies.failures().add(ex.toString());
		}
		latencies.nanos().add(System.nanoTime() - started);
	}

	private static InetAddress address(String literal) {
		try {
			return InetAddress.getByName(literal);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

	private record Latencies(List<Long> nanos, List<String> failures) {

		long p99() {
			return percentile(0.99);
		}

		long percentile(double fraction) {
			List<Long> sorted = this.nanos.stream().sorted().toList();
			return sorted.get((int) Math.ceil(fraction * sorted.size()) - 1);
		}

		@Override
		public String toString() {
			return "p50 %d ms, p90 %d ms, p99 %d ms of %d".formatted(percentile(0.5) / 1_000_000,
					percentile(0.9) / 1_000_000, p99() / 1_000_000, this.nanos.size());
		}

	}

}
