package io.github.visitorcounter.testing;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * Points the application at the shared test Redis.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestRedisConfiguration {

	@Bean
	DynamicPropertyRegistrar sharedRedisUrl() {
		return (registry) -> registry.add("spring.data.redis.url", () -> RedisServer.shared().url());
	}

	/** Empties the test Redis, so every test starts from a known keyspace. */
	public static void flushAll(StringRedisTemplate redis) {
		redis.execute((RedisCallback<Void>) (connection) -> {
			connection.serverCommands().flushAll();
			return null;
		});
	}

}
