package io.github.visitorcounter.visitor;

import io.github.visitorcounter.testing.RedisServer;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Concurrent visits to pages against a standalone Redis.
 */
class PageConcurrencyTests extends PageConcurrencyTestSupport {

	@RegisterExtension
	static final RedisServer redis = RedisServer.start(RedisServer.Options.plain());

}
