package io.github.visitorcounter.system;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.EventStream;
import io.github.visitorcounter.testing.RedisCluster;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.test.annotation.DirtiesContext;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static io.github.visitorcounter.testing.OutageAssertions.answeredWithin;
import static io.github.visitorcounter.testing.OutageAssertions.assertStorageUnavailable;
import static io.github.visitorcounter.testing.Sleep.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The application against a real Redis Cluster of three masters and three replicas,
 * switched on by {@code REDIS_CLUSTER_NODES} as in production: counters and their live
 * streams spread over every master, the owner API's scans over every master, a counter's
 * slot moved to another master and a master killed under the running application.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		// The per-counter limits stay on (their keys must share the counter's slot); the
		// budget across counters would stop a test that walks through many counters.
		properties = { "visitors.admin-token=" + RedisClusterTests.TOKEN,
				"visitors.rate-limit.requests-across-counters=1000000" })
@DirtiesContext
class RedisClusterTests {

	static final String TOKEN = "cluster-admin-token-0123456789";

	/** Longest answer while a master is down: the 1 s command timeout and some slack. */
	private static final Duration FAST = Duration.ofMillis(2500);

	/** Longest time from killing a master until its counters work again. */
	private static final Duration RECOVERY = Duration.ofSeconds(20);

	@RegisterExtension
	static final RedisCluster cluster = RedisCluster.start();

	private final int port;

	private final ApiClient api;

	@Autowired
	private LettuceConnectionFactory connectionFactory;

	RedisClusterTests(@LocalServerPort int port) {
		this.port = port;
		this.api = new ApiClient(port);
	}

	@Test
	void connectsWithTopologyRefreshAndFailsFast() {
		assertThat(this.connectionFactory.isClusterAware()).isTrue();
		ClientOptions options = this.connectionFactory.getClientConfiguration().getClientOptions().orElseThrow();
		assertThat(options).isInstanceOfSatisfying(ClusterClientOptions.class, (clusterOptions) -> {
			assertThat(clusterOptions.getTopologyRefreshOptions().getAdaptiveRefreshTriggers())
				.containsExactlyInAnyOrder(RefreshTrigger.values());
			assertThat(clusterOptions.getTopologyRefreshOptions().getRefreshPeriod()).isEqualTo(Duration.ofSeconds(30));
			assertThat(clusterOptions.getTopologyRefreshOptions().isPeriodicRefreshEnabled()).isTrue();
			assertThat(clusterOptions.getTopologyRefreshOptions().getAdaptiveRefreshTimeout())
				.isEqualTo(Duration.ofSeconds(1));
		});
		assertThat(options.getDisconnectedBehavior()).isEqualTo(DisconnectedBehavior.REJECT_COMMANDS);
		assertThat(options.getTimeoutOptions().isTimeoutCommands()).isTrue();
		assertThat(options.getSocketOptions().getTcpUserTimeout().isEnabled()).isTrue();
	}

	@Test
	void countsEachVisitorOnceOnCountersSpreadOverAllMasters() {
		List<String> counters = counters("spread", 50);
		assertThat(counters.stream().map(RedisClusterTests::master).distinct()).hasSize(3);
		Map<String, Long> expected = registerVisitors(counters);
		expected.forEach((counter, count) -> assertThat(count(counter)).as(counter).isEqualTo(count));
	}

	@Test
	void streamsLiveCountsOfCountersOnEveryMasterThroughShardedChannels() {
		List<String> oneCounterPerMaster = oneCounterPerMaster(counters("live", 30));
		assertThat(oneCounterPerMaster).hasSize(3);
		List<EventStream> streams = oneCounterPerMaster.stream().map(this::openStream).toList();
		try {
			streams.forEach((stream) -> stream.awaitCount(0, Duration.ofSeconds(2)));
			for (int i = 0; i < streams.size(); i++) {
				String counter = oneCounterPerMaster.get(i);
				// Sharded pub/sub: the subscription lives on the master of the counter's
				// slot, the one its registration script publishes on.
				assertThat(shardSubscribers(master(counter), changes(counter))).isOne();
				assertNextVisitStreamedWithinASecond(streams.get(i), counter, 1, Duration.ofSeconds(1));
			}
		}
		finally {
			streams.forEach(EventStream::close);
		}
	}

	@Test
	void listsExportsAndResetsCountersOnEveryMasterThroughTheOwnerApi() {
		List<String> counters = counters("owner", 30);
		Map<String, Long> expected = registerVisitors(counters);
		String list = owner("GET", "/api/admin/counters").body();
		String export = owner("GET", "/api/admin/export").body();
		expected.forEach((counter, count) -> {
			assertThat(list).contains("{\"counter\":\"" + counter + "\",\"count\":" + count + "}");
			assertThat(export).contains("\"" + counter + "\":" + count);
		});
		List<String> oneCounterPerMaster = oneCounterPerMaster(counters);
		assertThat(oneCounterPerMaster).hasSize(3);
		for (String counter : oneCounterPerMaster) {
			assertThat(keysOnItsMaster(counter)).isNotEmpty();
			HttpResponse<String> reset = owner("DELETE", "/api/admin/counters/" + counter);
			assertThat(reset.body()).startsWith("{\"counter\":\"" + counter + "\",\"count\":0,\"removedKeys\":");
			// What remains are the limiter logs of client addresses, which expire with
			// their window.
			assertThat(keysOnItsMaster(counter))
				.allSatisfy((key) -> assertThat(key).matches(".*\\{" + counter + "\\}:(requests|new):.*"));
			expected.put(counter, 0L);
		}
		expected.forEach((counter, count) -> assertThat(count(counter)).as(counter).isEqualTo(count));
	}

	@Test
	void keepsStreamingACounterWhoseSlotMovesToAnotherMaster() {
		String counter = "resharded";
		assertThat(this.api.post("/api/visitors/" + counter, visit(UUID.randomUUID().toString())).body())
			.contains("\"count\":1,");
		int from = master(counter);
		int to = cluster.masters().stream().filter((port) -> port != from).findFirst().orElseThrow();
		try (EventStream stream = openStream(counter)) {
			stream.awaitCount(1, Duration.ofSeconds(2));
			assertThat(shardSubscribers(from, changes(counter))).isOne();

			cluster.moveSlot("{" + counter + "}", to);
			// The next visit meets the moved slot (MOVED), is counted on the new master
			// and makes the client reload the topology; the subscription follows. At the
			// latest the periodic 30 s reload does: Lettuce skips an adaptive one within
			// 30 s of the last, which another test's failover may have caused.
			assertThat(this.api.post("/api/visitors/" + counter, visit(UUID.randomUUID().toString())).body())
				.contains("\"count\":2,");
			await().atMost(Duration.ofSeconds(45)).until(() -> shardSubscribers(to, changes(counter)) == 1);
			stream.awaitCount(2, Duration.ofSeconds(5));
			assertNextVisitStreamedWithinASecond(stream, counter, 3, Duration.ofSeconds(2));
		}
		assertThat(master(counter)).isEqualTo(to);
		assertThat(count(counter)).isEqualTo(3);
	}

	@Test
	void survivesAMasterFailover() {
		List<String> counters = counters("failover", 30);
		Map<String, Long> expected = registerVisitors(counters);
		String victimCounter = counters.get(0);
		int victim = master(victimCounter);
		List<String> others = counters.stream().filter((counter) -> master(counter) != victim).toList();
		cluster.awaitReplicasInSync();
		try (EventStream victimStream = openStream(victimCounter)) {
			victimStream.awaitCount(expected.get(victimCounter), Duration.ofSeconds(2));

			Failover failover = killMasterWhileItsVisitorRetries(victim, victimCounter, others, expected);
			int promoted = cluster.awaitPromotedReplicaOf(victim, Duration.ofSeconds(5));

			assertThat(failover.unavailable()).as("requests answered 503 during the failover").isPositive();
			assertThat(failover.otherMastersCounted()).as("visits counted on other masters during the failover")
				.isPositive();
			assertThat(promoted).isNotEqualTo(victim);
			assertThat(master(victimCounter)).isEqualTo(promoted);
			expected.merge(victimCounter, 1L, Long::sum);
			assertThat(failover.victimResponse().body()).contains("\"count\":" + expected.get(victimCounter));
			expected.forEach((counter, count) -> assertThat(count(counter)).as(counter).isEqualTo(count));
			assertStreamFollowedThePromotedReplica(victimStream, victimCounter, promoted, expected);
			System.out.printf(
					"Master %d killed: %d requests answered 503, %d counted elsewhere meanwhile, "
							+ "counting again after %d ms on %d%n",
					victim, failover.unavailable(), failover.otherMastersCounted(), failover.recovered().toMillis(),
					promoted);
		}
	}

	/**
	 * Kills the victim master; then one visitor of a counter on it retries until counted,
	 * as the embed script's visitor would on the next page view, while the other masters
	 * keep counting meanwhile (into {@code expected}). Every answer must come fast: 200,
	 * or the 503 problem.
	 */
	private Failover killMasterWhileItsVisitorRetries(int victim, String victimCounter, List<String> others,
			Map<String, Long> expected) {
		cluster.killMaster(victim);
		long killedAt = System.nanoTime();
		String retryingVisitor = UUID.randomUUID().toString();
		int unavailable = 0;
		int otherMastersCounted = 0;
		HttpResponse<String> victimResponse;
		for (int attempt = 0;; attempt++) {
			victimResponse = answeredWithin(FAST,
					() -> this.api.post("/api/visitors/" + victimCounter, visit(retryingVisitor)));
			if (victimResponse.statusCode() == 200) {
				break;
			}
			assertStorageUnavailable(victimResponse);
			unavailable++;
			String other = others.get(attempt % others.size());
			HttpResponse<String> otherResponse = answeredWithin(FAST,
					() -> this.api.post("/api/visitors/" + other, visit(UUID.randomUUID().toString())));
			// Redis refuses every command (CLUSTERDOWN) from the moment the master is
			// marked as failed until its replica takes over: only a brief 503 then.
			if (otherResponse.statusCode() == 200) {
				expected.merge(other, 1L, Long::sum);
				otherMastersCounted++;
			}
			else {
				assertStorageUnavailable(otherResponse);
			}
			assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).as("time to recover").isLessThan(RECOVERY);
			sleep(Duration.ofMillis(100));
		}
		return new Failover(victimResponse, unavailable, otherMastersCounted,
				Duration.ofNanos(System.nanoTime() - killedAt));
	}

	/**
	 * The stream stayed open; its subscription moved to the promoted replica, and the
	 * next visit reaches it through pub/sub, not the 15 s re-read.
	 */
	private void assertStreamFollowedThePromotedReplica(EventStream stream, String counter, int promoted,
			Map<String, Long> expected) {
		await().atMost(Duration.ofSeconds(10)).until(() -> shardSubscribers(promoted, changes(counter)) == 1);
		assertThat(stream.ended()).isFalse();
		long next = expected.merge(counter, 1L, Long::sum);
		assertNextVisitStreamedWithinASecond(stream, counter, next, Duration.ofSeconds(2));
	}

	/**
	 * A visit on the counter reaches its stream within a second: through pub/sub, not the
	 * periodic re-read.
	 */
	private void assertNextVisitStreamedWithinASecond(EventStream stream, String counter, long count,
			Duration timeout) {
		long sent = System.nanoTime();
		this.api.post("/api/visitors/" + counter, visit(UUID.randomUUID().toString()));
		assertThat(Duration.ofNanos(stream.awaitCount(count, timeout).receivedNanos() - sent))
			.isLessThan(Duration.ofSeconds(1));
	}

	private EventStream openStream(String counter) {
		return EventStream.open(this.port, "/api/visitors/" + counter + "/stream");
	}

	/**
	 * Registers 1 to 4 distinct visitors per counter, each twice, and checks every
	 * answer.
	 */
	private Map<String, Long> registerVisitors(List<String> counters) {
		Map<String, Long> expected = new LinkedHashMap<>();
		for (int i = 0; i < counters.size(); i++) {
			String counter = counters.get(i);
			long visitors = i % 4 + 1;
			for (long count = 1; count <= visitors; count++) {
				String visitor = UUID.randomUUID().toString();
				assertThat(this.api.post("/api/visitors/" + counter, visit(visitor)).body())
					.isEqualTo("{\"counter\":\"" + counter + "\",\"count\":" + count + ",\"newVisitor\":true}");
				assertThat(this.api.post("/api/visitors/" + counter, visit(visitor)).body())
					.contains("\"count\":" + count + ",\"newVisitor\":false");
			}
			expected.put(counter, visitors);
		}
		return expected;
	}

	private long count(String counter) {
		HttpResponse<String> response = this.api.get("/api/visitors/" + counter);
		assertThat(response.statusCode()).isEqualTo(200);
		String body = response.body();
		return Long.parseLong(body.substring(body.indexOf("\"count\":") + 8, body.indexOf('}')));
	}

	private static List<String> counters(String prefix, int count) {
		return IntStream.range(0, count).mapToObj((i) -> prefix + "-" + i).toList();
	}

	/** The first of the counters on each master. */
	private static List<String> oneCounterPerMaster(List<String> counters) {
		return counters.stream()
			.collect(Collectors.toMap(RedisClusterTests::master, (counter) -> counter, (first, other) -> first))
			.values()
			.stream()
			.toList();
	}

	/** The sharded pub/sub channel of a counter's changes. */
	private static String changes(String counter) {
		return "visitors:{" + counter + "}:changes";
	}

	/**
	 * The master of a counter's slot: every key of a counter carries its name as hash
	 * tag.
	 */
	private static int master(String counter) {
		return cluster.masterOf("{" + counter + "}");
	}

	private HttpResponse<String> owner(String method, String path) {
		return this.api
			.send(this.api.request(path, "Authorization", "Bearer " + TOKEN).method(method, BodyPublishers.noBody()));
	}

	private static List<String> keysOnItsMaster(String counter) {
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", master(counter)));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().keys("visitors:{" + counter + "}:*");
		}
		finally {
			client.shutdown();
		}
	}

	private static long shardSubscribers(int port, String channel) {
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().pubsubShardNumsub(channel).get(channel);
		}
		finally {
			client.shutdown();
		}
	}

	/**
	 * A failover under visits: the answer that finally counted the retrying visitor, how
	 * many requests were answered 503 meanwhile, how many visits other masters counted,
	 * and how long it took.
	 */
	private record Failover(HttpResponse<String> victimResponse, int unavailable, int otherMastersCounted,
			Duration recovered) {

	}

}
