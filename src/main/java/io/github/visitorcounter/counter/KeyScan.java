package io.github.visitorcounter.counter;

import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Walks the keys that match a pattern with {@code SCAN}, on every master of a cluster: it
 * never blocks Redis as {@code KEYS} would, but its cost grows with the whole keyspace,
 * so it is kept for rare work (an upgrade's one-time registration).
 */
final class KeyScan {

	private static final int BATCH = 1000;

	private KeyScan() {
	}

	static void forEach(StringRedisTemplate redis, String pattern, Consumer<String> action) {
		redis.execute((RedisCallback<Void>) (connection) -> {
			scan(connection, ScanOptions.scanOptions().match(pattern).count(BATCH).build(),
					(key) -> action.accept(new String(key, StandardCharsets.UTF_8)));
			return null;
		});
	}

	private static void scan(RedisConnection connection, ScanOptions options, Consumer<byte[]> action) {
		if (connection instanceof RedisClusterConnection cluster) {
			for (RedisClusterNode node : cluster.clusterGetNodes()) {
				if (node.isMaster()) {
					try (Cursor<byte[]> keys = cluster.scan(node, options)) {
						keys.forEachRemaining(action);
					}
				}
			}
			return;
		}
		try (Cursor<byte[]> keys = connection.keyCommands().scan(options)) {
			keys.forEachRemaining(action);
		}
	}

}
