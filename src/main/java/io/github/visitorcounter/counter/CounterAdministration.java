package io.github.visitorcounter.counter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisClusterNode;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What a site owner can do to counters: set a starting value, reset one, list them all.
 * <p>
 * Reset walks the counter's keys with {@code SCAN} and removes them with {@code UNLINK}
 * in batches: it never blocks Redis (no {@code KEYS}, and memory is freed in the
 * background), and it keeps the documented key layout. It is not atomic with visits
 * registered while it runs: those may survive the reset.
 */
public class CounterAdministration {

	private static final int SCAN_BATCH = 1000;

	private static final int UNLINK_BATCH = 500;

	private final StringRedisTemplate redis;

	private final CounterKeys keys;

	CounterAdministration(StringRedisTemplate redis, CounterKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	public void setCount(String counter, long count) {
		this.redis.opsForValue().set(this.keys.count(counter), Long.toString(count));
	}

	/** Removes the counter with all of its dedupe and limiter state. */
	public long reset(String counter) {
		return this.redis.execute((RedisCallback<Long>) (connection) -> {
			List<byte[]> batch = new ArrayList<>(UNLINK_BATCH);
			long[] removed = { 0 };
			scan(connection, this.keys.everyKeyOf(counter), (key) -> {
				batch.add(key);
				if (batch.size() == UNLINK_BATCH) {
					removed[0] += unlink(connection, batch);
				}
			});
			return removed[0] + unlink(connection, batch);
		});
	}

	/** Every counter that has a count, by name. */
	public Map<String, Long> counts() {
		List<String> keys = new ArrayList<>();
		this.redis.execute((RedisCallback<Void>) (connection) -> {
			scan(connection, this.keys.everyCount(), (key) -> keys.add(new String(key, StandardCharsets.UTF_8)));
			return null;
		});
		Map<String, Long> counts = new TreeMap<>();
		for (int from = 0; from < keys.size(); from += SCAN_BATCH) {
			List<String> slice = keys.subList(from, Math.min(keys.size(), from + SCAN_BATCH));
			List<String> values = this.redis.opsForValue().multiGet(slice);
			for (int i = 0; i < slice.size(); i++) {
				if (values != null && values.get(i) != null) {
					counts.put(this.keys.counterOf(slice.get(i)), Long.parseLong(values.get(i)));
				}
			}
		}
		return counts;
	}

	private static long unlink(RedisConnection connection, List<byte[]> keys) {
		if (keys.isEmpty()) {
			return 0;
		}
		Long removed = connection.keyCommands().unlink(keys.toArray(byte[][]::new));
		keys.clear();
		return (removed != null) ? removed : 0;
	}

	// Keys spread over every master of a cluster; a standalone Redis is one scan.
	private static void scan(RedisConnection connection, String pattern, Consumer<byte[]> action) {
		ScanOptions options = ScanOptions.scanOptions().match(pattern).count(SCAN_BATCH).build();
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
