package io.github.visitorcounter.system;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.EventStream;
import io.github.visitorcounter.testing.RedisMonitor;
import io.github.visitorcounter.testing.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an instance sends Redis while nobody visits, watched with MONITOR on a Redis of
 * its own: nothing without streams, and with an open stream only the periodic re-read of
 * its count, however often heartbeats go out. (README's Upstash section gives the
 * commands per idle hour these mean with the default settings.)
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "visitors.live.heartbeat=200ms", "visitors.live.resync-interval=2s" })
@DirtiesContext
class IdleCostTests {

	private static final Duration IDLE = Duration.ofSeconds(7);

	@RegisterExtension
	static final RedisServer redis = RedisServer.start(RedisServer.Options.plain());

	private final int port;

	private final ApiClient api;

	IdleCostTests(@LocalServerPort int port) {
		this.port = port;
		this.api = new ApiClient(port);
	}

	@Test
	void sendsNothingWhileNobodyVisitsAndNoStreamIsOpen() throws Exception {
		warmUp("quiet");
		assertThat(commandsWhileIdle()).isEmpty();
	}

	@Test
	void sendsOnlyThePeriodicReReadWhileOneStreamIsOpen() throws Exception {
		warmUp("watched");
		try (EventStream stream = EventStream.open(this.port, "/api/visitors/watched/stream")) {
			stream.awaitCount(1, Duration.ofSeconds(5));
			List<String> commands = commandsWhileIdle();
			// 7 s at one re-read per 2 s, however many heartbeats (35) went out.
			assertThat(commands).hasSizeBetween(2, 4).containsOnly("get");
			assertThat(stream.comments()).hasSizeGreaterThan(10);
		}
	}

	/** A first visit, so that connections and scripts are in place. */
	private void warmUp(String counter) {
		this.api.awaitStorageReachable();
		assertThat(this.api.post("/api/visitors/" + counter, visit(UUID.randomUUID().toString())).statusCode())
			.isEqualTo(200);
	}

	private List<String> commandsWhileIdle() throws Exception {
		try (RedisMonitor monitor = new RedisMonitor(redis.host(), redis.port())) {
			Thread.sleep(IDLE.toMillis());
			return monitor.clientCommands();
		}
	}

}
