package io.github.visitorcounter.system;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import io.github.visitorcounter.ApiClient;
import io.github.visitorcounter.EventStream;
import io.github.visitorcounter.RedisCluster;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.visitorcounter.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A Redis Cluster whose nodes require a password, configured as the README says: the
 * nodes in {@code REDIS_CLUSTER_NODES}, the password in {@code REDIS_URL}. Commands and
 * the live streams' sharded subscriptions reach every master with it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RedisClusterPasswordTests {

	private static final String PASSWORD = "cluster-password-" + UUID.randomUUID();

	@AutoClose
	private static final RedisCluster cluster = RedisCluster.startWithPassword(PASSWORD);

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void clusterWithPassword(DynamicPropertyRegistry registry) {
		registry.add("REDIS_CLUSTER_NODES", cluster::nodes);
		registry.add("REDIS_URL", () -> "redis://default:" + PASSWORD + "@cluster");
	}

	@Test
	void countsAndStreamsOnEveryMasterWithThePasswordOfRedisUrl() {
		Map<Integer, String> oneCounterPerMaster = new LinkedHashMap<>();
		IntStream.range(0, 30)
			.mapToObj((i) -> "secured-" + i)
			.forEach((counter) -> oneCounterPerMaster.putIfAbsent(master(counter), counter));
		assertThat(oneCounterPerMaster).hasSize(3);
		ApiClient api = new ApiClient(this.port);
		for (Map.Entry<Integer, String> entry : oneCounterPerMaster.entrySet()) {
			String counter = entry.getValue();
			assertThatExceptionOfType(RedisConnectionException.class)
				.isThrownBy(() -> keysWithoutPassword(entry.getKey()))
				.withStackTraceContaining("NOAUTH");
			try (EventStream stream = EventStream.open(this.port, "/api/visitors/" + counter + "/stream")) {
				stream.awaitCount(0, Duration.ofSeconds(2));
				assertThat(api.post("/api/visitors/" + counter, visit(UUID.randomUUID().toString())).body())
					.isEqualTo("{\"counter\":\"" + counter + "\",\"count\":1,\"newVisitor\":true}");
				stream.awaitCount(1, Duration.ofSeconds(1));
			}
			assertThat(api.get("/api/visitors/" + counter).body()).contains("\"count\":1");
		}
	}

	private static int master(String counter) {
		return cluster.masterOf("{" + counter + "}");
	}

	private static List<String> keysWithoutPassword(int port) {
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			return connection.sync().keys("*");
		}
		finally {
			client.shutdown();
		}
	}

}
