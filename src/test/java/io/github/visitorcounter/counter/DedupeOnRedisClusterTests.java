package io.github.visitorcounter.counter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.IntStream;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.RedisCluster;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dedupe sets on a Redis Cluster of three masters: every key a registration touches
 * lies in its counter's hash slot, across level boundaries too, and a script cache lost
 * on every master under load costs no visit.
 */
class DedupeOnRedisClusterTests extends ScriptCacheLossTestSupport {

	@AutoClose
	private static final RedisCluster cluster = RedisCluster.start();

	@DynamicPropertySource
	static void clusterNodes(DynamicPropertyRegistry registry) {
		registry.add("REDIS_CLUSTER_NODES", cluster::nodes);
	}

	@Override
	Backend backend() {
		return new Cluster();
	}

	@Test
	void keepsACountersDedupeSetsInItsSlotAcrossTwoLevelBoundaries() throws Exception {
		String counter = "growing";
		List<String> visitors = IntStream.range(0, 2_100).mapToObj((i) -> "cluster-visitor-%05d".formatted(i)).toList();
		assertThat(postAll(counter, visitors)).containsOnly("\"newVisitor\":true");
		assertThat(postAll(counter, visitors)).containsOnly("\"newVisitor\":false");
		assertThat(new ApiClient(this.port).get("/api/visitors/" + counter).body()).contains("\"count\":2100");
		onMasterOf(counter, (redis) -> {
			List<String> keys = redis.keys("visitors:{" + counter + "}:*");
			assertThat(keys).extracting(redis::clusterKeyslot).containsOnly(redis.clusterKeyslot("{" + counter + "}"));
			assertThat(redis.hgetall("visitors:{" + counter + "}:v")).containsEntry("entries", "2100")
				.containsEntry("top", "2");
			List<String> buckets = keys.stream().filter((key) -> key.contains(":v:")).toList();
			assertThat(buckets).hasSizeGreaterThan(5)
				.allSatisfy((bucket) -> assertThat(redis.objectEncoding(bucket)).isEqualTo("intset"));
			assertThat(buckets.stream().mapToLong(redis::scard).sum()).isEqualTo(2_100);
			return null;
		});
	}

	private List<String> postAll(String counter, List<String> visitors) throws Exception {
		ApiClient api = new ApiClient(this.port);
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<String>> answers = new ArrayList<>();
			for (String visitor : visitors) {
				answers.add(threads.submit(() -> api.post("/api/visitors/" + counter, visit(visitor))
					.body()
					.replaceAll(".*(\"newVisitor\":\\w+).*", "$1")));
			}
			List<String> done = new ArrayList<>();
			for (Future<String> answer : answers) {
				done.add(answer.get());
			}
			return done;
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static <T> T onNode(int port, Function<RedisCommands<String, String>, T> action) {
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return action.apply(connection.sync());
		}
		finally {
			client.shutdown();
		}
	}

	private static <T> T onMasterOf(String counter, Function<RedisCommands<String, String>, T> action) {
		return onNode(cluster.masterOf("{" + counter + "}"), action);
	}

	/** The cluster's masters, each reached directly. */
	private static final class Cluster implements Backend {

		@Override
		public boolean acceptsKeyLocking() {
			return false;
		}

		@Override
		public void flushScripts() {
			cluster.masters().forEach((port) -> onNode(port, RedisCommands::scriptFlush));
		}

		@Override
		public long noScriptErrors() {
			return cluster.masters()
				.stream()
				.mapToLong((port) -> ScriptCacheLossTestSupport
					.noScriptErrors(onNode(port, (redis) -> redis.info("errorstats"))))
				.sum();
		}

		@Override
		public long storedVisitors(String counter) {
			return onMasterOf(counter, (redis) -> {
				ScanArgs buckets = ScanArgs.Builder.matches("visitors:{" + counter + "}:v*:*").limit(1000);
				KeyScanCursor<String> cursor = redis.scan(buckets);
				long visitors = cursor.getKeys().stream().mapToLong(redis::scard).sum();
				while (!cursor.isFinished()) {
					cursor = redis.scan(cursor, buckets);
					visitors += cursor.getKeys().stream().mapToLong(redis::scard).sum();
				}
				return visitors;
			});
		}

	}

}
