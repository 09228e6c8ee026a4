package io.github.visitorcounter.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without a Docker engine, starting a Redis says in one INFO line which one runs, and
 * Testcontainers' probe for the engine logs no ERROR (what {@code spring-boot:test-run}
 * prints).
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisServerTests {

	@Test
	void saysWhichRedisItStartedWithoutAnError(CapturedOutput output) {
		try (RedisServer redis = RedisServer.start(RedisServer.Options.plain())) {
			if (redis instanceof ProcessRedisServer) {
				assertThat(output.getOut()).containsOnlyOnce("No Docker engine: started ")
					.contains("redis-server on port " + redis.port() + " instead");
			}
			assertThat(output.getOut()).doesNotContain(" ERROR ");
		}
	}

}
