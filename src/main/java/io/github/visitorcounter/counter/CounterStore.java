package io.github.visitorcounter.counter;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Reads counts.
 */
public record CounterStore(StringRedisTemplate redis, CounterKeys keys, ServedCounters served) {

	/**
	 * The largest count, of a counter or a page: the largest integer a JavaScript number
	 * holds exactly, so that every count can be shown right. Visits stop there, and the
	 * owner sets no count above it, so that an export always imports.
	 */
	public static final long MAX_COUNT = 9_007_199_254_740_991L;

	/**
	 * The count of a counter that is served: 0 for one never hit that the settings list
	 * or a visit may create; empty for one that does not exist and only the owner could
	 * create.
	 */
	public OptionalLong servedCount(String counter) {
		return served(counter, this.redis.opsForValue().get(this.keys.count(counter)));
	}

	/**
	 * The counts of counters that are served, in the order given, as
	 * {@link #servedCount(String)}: one {@code MGET}, which a cluster splits by slot.
	 */
	public List<OptionalLong> servedCounts(List<String> counters) {
		List<String> counts = this.redis.opsForValue().multiGet(counters.stream().map(this.keys::count).toList());
		List<OptionalLong> served = new ArrayList<>(counters.size());
		for (int index = 0; index < counters.size(); index++) {
			served.add(served(counters.get(index), counts.get(index)));
		}
		return served;
	}

	private OptionalLong served(String counter, String count) {
		if (!this.served.serves(counter, count != null)) {
			return OptionalLong.empty();
		}
		return OptionalLong.of((count != null) ? Long.parseLong(count) : 0);
	}

	/**
	 * Whether a counter is served, as {@link #servedCount(String)} decides: in memory,
	 * unless only the owner could have created it.
	 */
	public boolean isServed(String counter) {
		return this.served.servesBeforeCreated(counter)
				|| Boolean.TRUE.equals(this.redis.hasKey(this.keys.count(counter)));
	}

	/** The count of a counter; 0 for one never hit. */
	public long count(String counter) {
		String count = this.redis.opsForValue().get(this.keys.count(counter));
		return (count != null) ? Long.parseLong(count) : 0;
	}

}
