package io.github.visitorcounter.counter;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Lets identical reads made within a short while share one answer, so that a burst of
 * badge or stats requests for one counter costs Redis one read. Memory is bounded, and
 * only answers worth keeping (those of counters that exist) are admitted: a flood of
 * reads of made-up names can neither fill it nor push real counters out.
 *
 * @param <K> what identifies a read
 * @param <V> its answer
 */
public class SharedReads<K, V> {

	private final long maxAgeMillis;

	private final int capacity;

	private final Predicate<V> worthKeeping;

	private final Clock clock;

	private final Map<K, Answer<V>> answers = new ConcurrentHashMap<>();

	/**
	 * @param maxAge how long an answer is shared
	 * @param capacity most answers kept at once
	 * @param worthKeeping which answers may be kept
	 * @param clock the time an answer ages by: real time, not a business clock that tests
	 * may hold still
	 */
	public SharedReads(Duration maxAge, int capacity, Predicate<V> worthKeeping, Clock clock) {
		this.maxAgeMillis = maxAge.toMillis();
		this.capacity = capacity;
		this.worthKeeping = worthKeeping;
		this.clock = clock;
	}

	/**
	 * A recent answer to the read, or a new one from {@code read}.
	 */
	public V get(K key, Supplier<V> read) {
		long now = this.clock.millis();
		Answer<V> recent = this.answers.get(key);
		if (recent != null && now - recent.at() < this.maxAgeMillis) {
			return recent.value();
		}
		V value = read.get();
		if (this.worthKeeping.test(value) && roomFor(key, now)) {
			this.answers.put(key, new Answer<>(value, now));
		}
		return value;
	}

	private boolean roomFor(K key, long now) {
		if (this.answers.size() < this.capacity || this.answers.containsKey(key)) {
			return true;
		}
		this.answers.values().removeIf((answer) -> now - answer.at() >= this.maxAgeMillis);
		return this.answers.size() < this.capacity;
	}

	private record Answer<V>(V value, long at) {

	}

}
