package io.github.visitorcounter.system;

import io.github.visitorcounter.testing.ApiTestSupport;
import io.github.visitorcounter.testing.RedisMonitor;
import io.github.visitorcounter.testing.RedisServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * However often a platform polls health, Redis is asked at most once per interval.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "visitors.health.redis-check-interval=30s")
class RedisHealthTests extends ApiTestSupport {

	@Test
	void asksRedisAtMostOncePerIntervalHoweverOftenHealthIsPolled() throws Exception {
		assertThat(this.api.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
		RedisServer redisServer = RedisServer.shared();
		try (RedisMonitor monitor = new RedisMonitor(redisServer.host(), redisServer.port())) {
			for (int i = 0; i < 20; i++) {
				assertThat(this.api.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
				assertThat(this.api.get("/actuator/health").statusCode()).isEqualTo(200);
			}
			// Give anything sent late the time to show up in the monitor.
			Thread.sleep(300);
			assertThat(monitor.clientCommands()).isEmpty();
		}
	}

}
