package io.github.visitorcounter.counter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;

/**
 * The counters that exist, by name, in one sorted set: what bounds how many counters
 * visits can create (decided atomically, so every instance and every cluster node shares
 * the bound), and what the owner API lists and exports in name order, a page at a time. A
 * counter exists in Redis by its count key; the registry admits it first.
 */
public class CounterRegistry {

	private static final Log logger = LogFactory.getLog(CounterRegistry.class);

	/** Names read, and counts fetched, per round trip when walking the registry. */
	static final int PAGE = 1000;

	private static final String NO_CAP = "-1";

	private final StringRedisTemplate redis;

	static final String SCRIPT = "admit-counter.lua";

	private final LuaScripts scripts;

	private final CounterKeys keys;

	private final ServedCounters served;

	CounterRegistry(StringRedisTemplate redis, LuaScripts scripts, CounterKeys keys, ServedCounters served) {
		this.redis = redis;
		this.scripts = scripts;
		this.keys = keys;
		this.served = served;
	}

	/**
	 * Admits a counter that a visit asks for: a listed one always, one that visits may
	 * create while fewer than the cap exist, any other never. Admitted, it gets a count
	 * of 0: then it exists. Two commands, once per counter.
	 * @return whether the counter exists now
	 */
	boolean admitByVisit(String counter) {
		return switch (this.served.admissionOf(counter)) {
			case LISTED -> admit(counter, NO_CAP);
			case CREATED_BY_VISITS -> admit(counter, Integer.toString(this.served.maxCounters()));
			case CREATED_BY_OWNER -> false;
		};
	}

	/**
	 * Whether a counter may exist without the owner's word: listed, or one that visits
	 * create (the cap aside).
	 */
	boolean mayExist(String counter) {
		return this.served.servesBeforeCreated(counter);
	}

	/**
	 * Makes the counter exist, whatever the cap: the owner decided.
	 */
	public void create(String counter) {
		admit(counter, NO_CAP);
	}

	/** Makes the counters exist, whatever the cap: the owner decided. One command. */
	void createAll(Collection<String> counters) {
		Set<TypedTuple<String>> entries = new HashSet<>();
		counters.forEach((counter) -> entries.add(TypedTuple.of(counter, 0.0)));
		this.redis.opsForZSet().add(this.keys.registry(), entries);
	}

	/** Forgets the counter (its keys are the caller's to remove). */
	public void remove(String counter) {
		this.redis.opsForZSet().remove(this.keys.registry(), counter);
		this.redis.opsForZSet().remove(this.keys.createdByVisits(), counter);
	}

	/**
	 * Walks the counters that exist, in name order, with their counts: a page of names
	 * and a page of counts per step, so memory stays bounded however many there are.
	 */
	public void forEachCount(BiConsumer<String, Long> action) {
		registerCountersFromBefore();
		String after = null;
		while (true) {
			Range<String> range = (after != null) ? Range.rightUnbounded(Range.Bound.exclusive(after))
					: Range.unbounded();
			List<String> names = new ArrayList<>(
					this.redis.opsForZSet().rangeByLex(this.keys.registry(), range, Limit.limit().count(PAGE)));
			if (names.isEmpty()) {
				return;
			}
			List<String> counts = this.redis.opsForValue().multiGet(names.stream().map(this.keys::count).toList());
			for (int i = 0; i < names.size(); i++) {
				String count = (counts != null) ? counts.get(i) : null;
				if (count != null) {
					action.accept(names.get(i), Long.parseLong(count));
				}
			}
			after = names.get(names.size() - 1);
		}
	}

	/**
	 * Counters made before the registry existed have a count key and no entry: the first
	 * walk after an upgrade registers them, once, with one scan of the keyspace.
	 */
	private void registerCountersFromBefore() {
		if (Boolean.TRUE.equals(this.redis.hasKey(this.keys.registryComplete()))) {
			return;
		}
		long[] found = { 0 };
		KeyScan.forEach(this.redis, this.keys.everyCount(), (key) -> {
			this.redis.opsForZSet().add(this.keys.registry(), this.keys.counterOf(key), 0);
			found[0]++;
		});
		this.redis.opsForValue().set(this.keys.registryComplete(), "1");
		logger.info("Registered " + found[0] + " counters made before the registry");
	}

	private boolean admit(String counter, String cap) {
		List<Long> admitted = this.scripts.runForIntegers(SCRIPT,
				List.of(this.keys.registry(), this.keys.createdByVisits()), counter, cap);
		if (admitted.get(0) == 0) {
			return false;
		}
		this.redis.opsForValue().setIfAbsent(this.keys.count(counter), "0");
		return true;
	}

}
