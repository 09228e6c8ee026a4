package io.github.visitorcounter.counter;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;

/**
 * Reads the pages of a counter ({@link PagePaths}), each read one script call, so one
 * round trip that also tells whether the counter exists.
 */
public record PageStore(StringRedisTemplate redis, LuaScripts scripts, CounterKeys keys, ServedCounters served) {

	static final String SCRIPT = "read-pages.lua";

	/**
	 * The counts of pages of a counter, in the order given, 0 for a page it does not
	 * hold; empty for a counter that is not served (as
	 * {@link CounterStore#servedCount(String)}).
	 * @param paths normalised paths
	 */
	public Optional<List<PageCount>> counts(String counter, List<String> paths) {
		List<Object> arguments = new ArrayList<>(paths.size() + 1);
		arguments.add("paths");
		arguments.addAll(paths);
		List<String> reply = read(counter, arguments);
		if (reply == null) {
			return Optional.empty();
		}
		List<PageCount> counts = new ArrayList<>(paths.size());
		for (int index = 0; index < paths.size(); index++) {
			counts.add(new PageCount(paths.get(index), count(reply.get(index + 1))));
		}
		return Optional.of(counts);
	}

	/**
	 * A counter's most visited pages, most visited first; empty for a counter that is not
	 * served.
	 * @param limit how many at most
	 */
	public Optional<List<PageCount>> top(String counter, int limit) {
		List<String> reply = read(counter, List.of("top", Integer.toString(limit)));
		if (reply == null) {
			return Optional.empty();
		}
		List<PageCount> top = new ArrayList<>(reply.size() / 2);
		for (int index = 1; index + 1 < reply.size(); index += 2) {
			top.add(new PageCount(reply.get(index), count(reply.get(index + 1))));
		}
		return Optional.of(top);
	}

	/** Whether a counter holds a page of exactly that path, as stored. */
	public boolean holds(String counter, String path) {
		return this.redis.opsForZSet().score(this.keys.pageCounts(counter), path) != null;
	}

	/** Every page of a counter with its count, most visited first. */
	public List<PageCount> all(String counter) {
		Set<TypedTuple<String>> pages = this.redis.opsForZSet()
			.reverseRangeWithScores(this.keys.pageCounts(counter), 0, -1);
		return pageCounts(pages);
	}

	/**
	 * Walks the counters that hold pages, with their pages, for rare work (the owner's
	 * export): it scans the whole key space ({@code SCAN}), as pages are not registered
	 * apart from their counter; one command per counter found.
	 */
	public void forEachCounterWithPages(BiConsumer<String, List<PageCount>> action) {
		KeyScan.forEach(this.redis, this.keys.everyPageCounts(), (key) -> {
			List<PageCount> pages = pageCounts(this.redis.opsForZSet().rangeWithScores(key, 0, -1));
			if (!pages.isEmpty()) {
				action.accept(this.keys.counterOf(key), pages);
			}
		});
	}

	private static List<PageCount> pageCounts(Set<TypedTuple<String>> pages) {
		if (pages == null) {
			return List.of();
		}
		return pages.stream().map((page) -> new PageCount(page.getValue(), page.getScore().longValue())).toList();
	}

	/**
	 * A count as a sorted set's score: an integer, written as a double ({@code 1e+17}
	 * beyond 17 digits).
	 */
	private static long count(String score) {
		return (long) Double.parseDouble(score);
	}

	/** The script's reply, or {@code null} for a counter that is not served. */
	private List<String> read(String counter, List<Object> arguments) {
		List<String> reply = this.scripts.runForStrings(SCRIPT,
				List.of(this.keys.count(counter), this.keys.pageCounts(counter)), arguments.toArray());
		boolean exists = "1".equals(reply.get(0));
		return this.served.serves(counter, exists) ? reply : null;
	}

	/**
	 * A page and its count.
	 *
	 * @param path its normalised path
	 * @param count its count
	 */
	public record PageCount(String path, long count) {

	}

}
