package io.github.visitorcounter.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.EventStream;
import io.github.visitorcounter.testing.RedisCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Redis Cluster whose nodes require a password, configured as the README says: the
 * nodes in {@code REDIS_CLUSTER_NODES}, the password in {@code REDIS_URL}. Commands and
 * the live streams' sharded subscriptions reach every master with it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@DirtiesContext
class RedisClusterPasswordTests {

	private static final String PASSWORD = "cluster-password-" + UUID.randomUUID();

	@RegisterExtension
	static final RedisCluster cluster = RedisCluster.startWithPassword(PASSWORD);

	@LocalServerPort
	private int port;

	/** The nodes come from the cluster ({@link RedisCluster#applicationProperties()}). */
	@DynamicPropertySource
	static void passwordInRedisUrl(DynamicPropertyRegistry registry) {
		registry.add("REDIS_URL", () -> "redis://default:" + PASSWORD + "@cluster");
	}

	@Test
	void countsAndStreamsOnEveryMasterWithThePasswordOfRedisUrl() throws IOException {
		Map<Integer, String> oneCounterPerMaster = new LinkedHashMap<>();
		IntStream.range(0, 30)
			.mapToObj((i) -> "secured-" + i)
			.forEach((counter) -> oneCounterPerMaster.putIfAbsent(master(counter), counter));
		assertThat(oneCounterPerMaster).hasSize(3);
		ApiClient api = new ApiClient(this.port);
		for (Map.Entry<Integer, String> entry : oneCounterPerMaster.entrySet()) {
			String counter = entry.getValue();
			assertThat(replyWithoutPassword(entry.getKey())).startsWith("-NOAUTH");
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

	/**
	 * The node's own answer to a command sent without a password, read off the socket: a
	 * Lettuce client reports the same refusal either as NOAUTH or as a connection closed
	 * during its handshake, depending on timing.
	 */
	private static String replyWithoutPassword(int port) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(2000);
			socket.getOutputStream().write("KEYS *\r\n".getBytes(StandardCharsets.US_ASCII));
			return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
				.readLine();
		}
	}

}
