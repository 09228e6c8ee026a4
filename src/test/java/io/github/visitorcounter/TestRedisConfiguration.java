package io.github.visitorcounter;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
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

}
