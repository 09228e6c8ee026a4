package io.github.visitorcounter.counter;

import io.github.visitorcounter.testing.RedisServer;
import org.junit.jupiter.api.AutoClose;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Stock Redis, which refuses the flag allow-key-locking, loses its script cache under
 * load.
 */
class ScriptCacheLossOnRedisTests extends ScriptCacheLossTestSupport {

	@AutoClose
	private static final RedisServer redis = RedisServer.start(RedisServer.Options.plain());

	@DynamicPropertySource
	static void redisUrl(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.url", redis::url);
	}

	@Override
	Backend backend() {
		return new Standalone(redis, false);
	}

}
