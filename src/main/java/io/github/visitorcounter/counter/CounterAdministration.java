package io.github.visitorcounter.counter;

import java.util.ArrayList;
import java.util.List;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What a site owner can do to counters: create one or set its count, reset one.
 * <p>
 * Reset walks the counter's keys with {@code SCAN} and removes them with {@code UNLINK}
 * in batches: it never blocks Redis (no {@code KEYS}, and memory is freed in the
 * background), and it keeps the documented key layout. It is not atomic with visits
 * registered while it runs: those may survive the reset.
 */
public class CounterAdministration {

	private static final int UNLINK_BATCH = 500;

	private final StringRedisTemplate redis;

	private final CounterKeys keys;

	private final CounterRegistry registry;

	CounterAdministration(StringRedisTemplate redis, CounterKeys keys, CounterRegistry registry) {
		this.redis = redis;
		this.keys = keys;
		this.registry = registry;
	}

	/** Sets a counter's count, creating the counter if it does not exist. */
	public void setCount(String counter, long count) {
		this.registry.create(counter);
		this.redis.opsForValue().set(this.keys.count(counter), Long.toString(count));
	}

	/**
	 * Removes the counter with all of its dedupe and limiter state: it no longer exists
	 * unless the settings list it or a visit creates it again.
	 */
	public long reset(String counter) {
		this.registry.remove(counter);
		List<String> batch = new ArrayList<>(UNLINK_BATCH);
		long[] removed = { 0 };
		KeyScan.forEach(this.redis, this.keys.everyKeyOf(counter), (key) -> {
			batch.add(key);
			if (batch.size() == UNLINK_BATCH) {
				removed[0] += unlink(batch);
			}
		});
		return removed[0] + unlink(batch);
	}

	private long unlink(List<String> keys) {
		if (keys.isEmpty()) {
			return 0;
		}
		Long removed = this.redis.unlink(keys);
		keys.clear();
		return (removed != null) ? removed : 0;
	}

}
