package io.github.visitorcounter.system;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import io.github.visitorcounter.testing.ApiClient;
import io.github.visitorcounter.testing.EventStream;
import io.github.visitorcounter.testing.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static io.github.visitorcounter.testing.ApiClient.visit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connects the way an Upstash deployment does: {@code rediss://default:TOKEN@host:port},
 * TLS only, a password, and (here) a custom CA given through an SSL bundle; live streams
 * open their pub/sub connection with the same settings.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.data.redis.ssl.bundle=upstash", "logging.level.io.lettuce.core=DEBUG" })
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class UpstashEmulationTests {

	private static final String TOKEN = "upstash-token-" + UUID.randomUUID().toString().replace("-", "");

	@RegisterExtension
	static final RedisServer redis = RedisServer.start(RedisServer.Options.tls(TOKEN));

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void trustTheTestCertificate(DynamicPropertyRegistry registry) {
		registry.add("spring.ssl.bundle.pem.upstash.truststore.certificate", () -> "file:" + redis.caCertificate());
	}

	@Test
	void countsVisitsOverTlsWithAPassword(CapturedOutput output) {
		assertThat(redis.url()).startsWith("rediss://default:" + TOKEN + "@");
		ApiClient api = new ApiClient(this.port);
		// The first TLS handshake can outlast the 1 s timeout on a loaded machine.
		api.awaitStorageReachable();
		String visitor = UUID.randomUUID().toString();
		HttpResponse<String> first = api.post("/api/visitors", visit(visitor));
		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.body()).isEqualTo("{\"counter\":\"default\",\"count\":1,\"newVisitor\":true}");
		assertThat(api.post("/api/visitors", visit(visitor)).body()).contains("\"newVisitor\":false");
		HttpResponse<String> health = api.get("/actuator/health");
		assertThat(health.body()).contains("UP").doesNotContain(TOKEN);
		assertThat(output.getAll()).contains("Started UpstashEmulationTests").doesNotContain(TOKEN);
	}

	@Test
	void streamsLiveCountsOverTheSameTlsConnectionSettings(CapturedOutput output) {
		ApiClient api = new ApiClient(this.port);
		try (EventStream stream = EventStream.open(this.port, "/api/visitors/live/stream")) {
			assertThat(stream.status()).isEqualTo(200);
			stream.awaitCount(0, Duration.ofSeconds(2));
			long sent = System.nanoTime();
			assertThat(api.post("/api/visitors/live", visit(UUID.randomUUID().toString())).statusCode()).isEqualTo(200);
			// Within a second: through pub/sub, not the periodic re-read.
			assertThat(Duration.ofNanos(stream.awaitCount(1, Duration.ofSeconds(1)).receivedNanos() - sent))
				.isLessThan(Duration.ofSeconds(1));
		}
		assertThat(output.getAll()).doesNotContain(TOKEN);
	}

}
