package io.github.visitorcounter.visitor;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.DirectRedis;
import io.github.visitorcounter.testing.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An attacker who tries to fill Redis by posting to ever new counter names with ever new
 * visitor ids, at full speed: first from one address, then from 50 behind a trusted
 * proxy. With the default settings (any name served, at most 1,000 counters, 60 requests
 * per address and 10 s over all counters) Redis grows by at most {@value #BOUND_BYTES}
 * bytes, no key belongs to a counter that does not exist, and a real visitor is still
 * counted throughout.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "server.forward-headers-strategy=native",
		"server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1|0:0:0:0:0:0:0:1" })
class RedisFillAttackTests extends ApiTestSupport {

	private static final long BOUND_BYTES = 5L * 1024 * 1024;

	private static final Duration PHASE = Duration.ofSeconds(60);

	private static final int ATTACKING_THREADS = 12;

	private static final int MAX_COUNTERS = 1000;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Test
	void oneAddressThenFiftyCannotFillRedis() throws Exception {
		try (DirectRedis direct = new DirectRedis(RedisServer.shared())) {
			assertThat(this.api.post("/api/visitors/blog", visit(UUID.randomUUID().toString())).statusCode())
				.isEqualTo(200);
			long before = usedMemory(direct);
			Map<Integer, Long> fromOne = attack(List.of("192.0.2.1"));
			Map<Integer, Long> fromFifty = attack(fiftyAddresses());
			long grown = usedMemory(direct) - before;
			System.out.printf("Redis fill attack: one address %s, fifty addresses %s; used_memory grew by %,d bytes%n",
					fromOne, fromFifty, grown);
			assertThat(fromOne).containsKeys(200, 429);
			assertThat(fromFifty).containsKeys(200, 404, 429).doesNotContainKeys(500, 503);
			assertThat(grown).as("used_memory growth").isLessThanOrEqualTo(BOUND_BYTES);
			Set<String> registered = direct.commands()
				.zrange("visitors:{=registry}:counters", 0, -1)
				.stream()
				.collect(Collectors.toSet());
			assertThat(registered).hasSizeLessThanOrEqualTo(MAX_COUNTERS + 1).contains("blog");
			assertThat(direct.commands().keys("visitors:{*}:*")).filteredOn((key) -> !key.startsWith("visitors:{="))
				.allSatisfy((key) -> assertThat(registered)
					.contains(key.substring(key.indexOf('{') + 1, key.indexOf('}'))));
		}
	}

	/**
	 * Posts from the addresses to random new counters for {@link #PHASE}, while a real
	 * visitor from an address of its own visits "blog" every second and is counted each
	 * time.
	 * @return the attack's answers, by status
	 */
	private Map<Integer, Long> attack(List<String> addresses) throws Exception {
		Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
		long ends = System.nanoTime() + PHASE.toNanos();
		ExecutorService attackers = Executors.newFixedThreadPool(ATTACKING_THREADS);
		List<Future<?>> running = new ArrayList<>();
		try {
			for (int i = 0; i < ATTACKING_THREADS; i++) {
				running.add(attackers.submit(() -> {
					while (System.nanoTime() < ends) {
						String address = addresses.get(ThreadLocalRandom.current().nextInt(addresses.size()));
						String counter = "junk-" + UUID.randomUUID().toString().substring(0, 12);
						int status = post("/api/visitors/" + counter, address);
						statuses.computeIfAbsent(status, (key) -> new AtomicLong()).incrementAndGet();
					}
					return null;
				}));
			}
			while (System.nanoTime() < ends) {
				assertThat(this.api
					.post("/api/visitors/blog", visit(UUID.randomUUID().toString()), "X-Forwarded-For",
							"203.0.113.7" + ThreadLocalRandom.current().nextInt(10))
					.body()).as("a real visitor during the attack").contains("\"newVisitor\":true");
				Thread.sleep(1000);
			}
			for (Future<?> attacker : running) {
				attacker.get();
			}
		}
		finally {
			attackers.shutdownNow();
		}
		Map<Integer, Long> counted = new TreeMap<>();
		statuses.forEach((status, count) -> counted.put(status, count.get()));
		return counted;
	}

	private int post(String path, String address) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.header("X-Forwarded-For", address)
			.POST(BodyPublishers.ofString(visit(UUID.randomUUID().toString())))
			.build();
		return this.http.send(request, BodyHandlers.discarding()).statusCode();
	}

	private static List<String> fiftyAddresses() {
		List<String> addresses = new ArrayList<>();
		for (int i = 1; i <= 50; i++) {
			addresses.add("198.51.100." + i);
		}
		return addresses;
	}

	private static long usedMemory(DirectRedis direct) {
		String info = direct.commands().info("memory");
		return info.lines()
			.filter((line) -> line.startsWith("used_memory:"))
			.mapToLong((line) -> Long.parseLong(line.substring("used_memory:".length()).trim()))
			.findFirst()
			.orElseThrow();
	}

}
