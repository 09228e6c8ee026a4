package io.github.visitorcounter.visitor;

import io.github.visitorcounter.testing.RedisCluster;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Concurrent visits to pages against a Redis Cluster: the site's keys and its pages' keys
 * share its hash slot, so each visit stays one script call.
 */
class PageConcurrencyOnRedisClusterTests extends PageConcurrencyTestSupport {

	@RegisterExtension
	static final RedisCluster cluster = RedisCluster.start();

}
