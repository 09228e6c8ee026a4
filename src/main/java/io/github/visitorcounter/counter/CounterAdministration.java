package io.github.visitorcounter.counter;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;

/**
 * What a site owner can do to counters: create one or set its count, delete one; set or
 * reset the count of one of its pages.
 * <p>
 * Deleting costs what the counter holds, never what the whole database holds: its keys
 * follow from its name (the dedupe buckets of the levels in use, the days a HyperLogLog
 * is kept), so nothing is scanned, and they are removed with {@code UNLINK} in batches,
 * which frees memory in the background. Visits that race a delete write nothing: while it
 * runs the counter carries a {@code resetting} mark that the registration script checks
 * first, and the count goes last, after every visitor it counted. So no visitor is ever
 * left marked seen but not counted.
 */
public class CounterAdministration {

	private static final int UNLINK_BATCH = 500;

	/**
	 * How long the mark outlives an instance that died while deleting: then the counter
	 * takes visits again, with whatever was not removed yet.
	 */
	private static final Duration RESETTING_MARK = Duration.ofMinutes(5);

	static final String RESET_PAGE_SCRIPT = "reset-page.lua";

	private final StringRedisTemplate redis;

	private final LuaScripts scripts;

	private final CounterKeys keys;

	private final CounterRegistry registry;

	private final List<String> generations;

	private final VisitDays days;

	CounterAdministration(StringRedisTemplate redis, LuaScripts scripts, CounterKeys keys, CounterRegistry registry,
			CounterProperties counters, VisitDays days) {
		this.redis = redis;
		this.scripts = scripts;
		this.keys = keys;
		this.registry = registry;
		this.generations = DedupeSets.generations(counters.effectiveDedupeTtl());
		this.days = days;
	}

	/** Sets a counter's count, creating the counter if it does not exist. */
	public void setCount(String counter, long count) {
		this.registry.create(counter);
		this.redis.opsForValue().set(this.keys.count(counter), Long.toString(count));
	}

	/**
	 * Sets many counts at once, creating the counters that do not exist: two commands for
	 * the whole batch (a cluster splits the second by slot).
	 */
	public void setCounts(Map<String, Long> counts) {
		this.registry.createAll(counts.keySet());
		Map<String, String> values = new HashMap<>();
		counts.forEach((counter, count) -> values.put(this.keys.count(counter), Long.toString(count)));
		this.redis.opsForValue().multiSet(values);
	}

	/**
	 * Sets the counts of pages of a counter, creating the pages that do not exist, and
	 * the counter if it does not (with a count of 0): a starting value when migrating.
	 * The page limit does not apply: the owner decided.
	 * @param counts counts by normalised path ({@link PagePaths})
	 */
	public void setPageCounts(String counter, Map<String, Long> counts) {
		this.registry.create(counter);
		this.redis.opsForValue().setIfAbsent(this.keys.count(counter), "0");
		Set<TypedTuple<String>> pages = new HashSet<>();
		counts.forEach((path, count) -> pages.add(TypedTuple.of(path, count.doubleValue())));
		this.redis.opsForZSet().add(this.keys.pageCounts(counter), pages);
	}

	/**
	 * Resets a page of a counter: its count and the visitors it counted go, in one atomic
	 * script call, so every visitor counts again for it; it no longer counts against the
	 * page limit until visited again.
	 * @param path the page's normalised path
	 * @return how many keys were removed
	 */
	public long resetPage(String counter, String path) {
		String digest = this.keys.pageDigest(path);
		while (true) {
			int top = 0;
			for (String generation : this.generations) {
				top = Math.max(top, topLevel(this.keys.pageDedupeState(counter, digest, generation)));
			}
			List<String> keys = new ArrayList<>();
			keys.add(this.keys.pageCounts(counter));
			for (String generation : this.generations) {
				String state = this.keys.pageDedupeState(counter, digest, generation);
				keys.add(state);
				for (int level = 0; level <= top; level++) {
					keys.addAll(this.keys.dedupeBucketsAt(state, level));
				}
			}
			long removed = this.scripts.runForIntegers(RESET_PAGE_SCRIPT, keys, path, Integer.toString(top)).get(0);
			if (removed >= 0) {
				return removed;
			}
		}
	}

	/**
	 * Deletes the counter with its dedupe sets and daily uniques: it no longer exists
	 * unless the settings list it or a visit creates it again, with a count of 0.
	 * @return how many keys were removed
	 */
	public long delete(String counter) {
		String resetting = this.keys.resetting(counter);
		this.redis.opsForValue().set(resetting, "1", RESETTING_MARK);
		try {
			this.registry.remove(counter);
			List<String> batch = new ArrayList<>(UNLINK_BATCH);
			long removed = 0;
			for (String generation : this.generations) {
				removed += addDedupeSets(batch, this.keys.dedupeState(counter, generation));
			}
			String pageCounts = this.keys.pageCounts(counter);
			Set<String> pages = this.redis.opsForZSet().range(pageCounts, 0, -1);
			for (String path : (pages != null) ? pages : Set.<String>of()) {
				String digest = this.keys.pageDigest(path);
				for (String generation : this.generations) {
					removed += addDedupeSets(batch, this.keys.pageDedupeState(counter, digest, generation));
				}
			}
			removed += add(batch, pageCounts);
			for (LocalDate day : this.days.mayBeKept()) {
				removed += add(batch, this.keys.day(counter, day));
			}
			removed += unlink(batch);
			// The count last: until it is gone, the mark alone keeps visits out.
			removed += unlink(new ArrayList<>(List.of(this.keys.count(counter))));
			return removed;
		}
		finally {
			this.redis.delete(resetting);
		}
	}

	/** Adds the keys of a generation of dedupe sets to the batch, the state last. */
	private long addDedupeSets(List<String> batch, String state) {
		long removed = 0;
		for (int level = 0; level <= topLevel(state); level++) {
			for (String bucket : this.keys.dedupeBucketsAt(state, level)) {
				removed += add(batch, bucket);
			}
		}
		return removed + add(batch, state);
	}

	/**
	 * The highest level of a generation's dedupe sets in use: from its state or, for a
	 * counter whose visitors all fit in level 0 (no state), 0.
	 */
	private int topLevel(String state) {
		Object top = this.redis.opsForHash().get(state, "top");
		return (top != null) ? Integer.parseInt(top.toString()) : 0;
	}

	private long add(List<String> batch, String key) {
		batch.add(key);
		return (batch.size() == UNLINK_BATCH) ? unlink(batch) : 0;
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
