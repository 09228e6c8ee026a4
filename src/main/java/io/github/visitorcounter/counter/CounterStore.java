package io.github.visitorcounter.counter;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Reads counts.
 */
public class CounterStore {

	private final StringRedisTemplate redis;

	private final CounterKeys keys;

	CounterStore(StringRedisTemplate redis, CounterKeys keys) {
		this.redis = redis;
		this.keys = keys;
	}

	/** The count of a counter; 0 for one never hit. */
	public long count(String counter) {
		String count = this.redis.opsForValue().get(this.keys.count(counter));
		return (count != null) ? Long.parseLong(count) : 0;
	}

}
