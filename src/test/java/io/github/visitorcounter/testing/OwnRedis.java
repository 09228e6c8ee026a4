package io.github.visitorcounter.testing;

import java.util.Map;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Redis that a test class owns instead of sharing {@link RedisServer#shared()}: one it
 * may stop, kill, freeze or cut off under the running application. Held in a static
 * {@code @RegisterExtension} field, it is closed after the class's tests, and the
 * application that the class's Spring test context starts is pointed at it
 * ({@link OwnRedisContextCustomizerFactory}). Such a class is {@code @DirtiesContext}, so
 * that no cached application outlives its Redis.
 */
public interface OwnRedis extends AfterAllCallback, AutoCloseable {

	/** The settings that point the application at this Redis. */
	Map<String, Object> applicationProperties();

	@Override
	default void afterAll(ExtensionContext context) {
		close();
	}

	@Override
	void close();

}
