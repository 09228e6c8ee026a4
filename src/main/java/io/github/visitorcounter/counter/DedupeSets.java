package io.github.visitorcounter.counter;

import java.time.Duration;
import java.util.List;

/**
 * How a counter remembers who it counted, in about 9 bytes of Redis memory per visitor
 * (docs/redis-key-layout.md has the byte count).
 * <p>
 * A visitor is one 64-bit integer ({@link VisitorDigest#member()}) in a Redis set. Sets
 * of integers with at most {@value #BUCKET_CAPACITY} members (Redis' default
 * {@code set-max-intset-entries}) are intsets: 8 bytes per member in one sorted array,
 * looked up by binary search. Sets are therefore kept small: they are buckets, arranged
 * in levels, level {@code L} having {@code 4^L} buckets chosen by {@code 2L} further bits
 * of the digest.
 * <p>
 * New visitors go into the current level, which follows from the number of visitors the
 * sets hold ({@code entries}, in a state hash that a counter without a TTL only gets once
 * it leaves level 0): level {@code L} until {@code BUCKET_FILL * (4^0 + ... + 4^L)}, so a
 * level is left once its buckets hold {@value #BUCKET_FILL} visitors on average. A bucket
 * already holding {@value #BUCKET_CAPACITY} sends the visitor one level up, so no bucket
 * ever outgrows its intset, whatever the chance distribution. A lookup checks the
 * visitor's bucket at every level used so far ({@code top}). Members never move, so
 * growing never counts anyone twice. With {@value #LEVELS} levels the sets stay compact
 * up to about 5.6 * 10^8 visitors per counter ({@code 400 * (4^11 - 1) / 3}); beyond that
 * the top level's buckets fill past their capacity and turn into hash tables: still
 * exact, no longer small.
 * <p>
 * With a dedupe TTL the sets come in two generations, each a state hash and its buckets
 * that expire as a whole, two TTLs after their generation began: new visitors join the
 * current generation, lookups check both, so a visitor counts again on its first visit
 * between one and two TTLs after it was counted.
 */
final class DedupeSets {

	/** Levels 0 to 10: 4^10 = 1,048,576 buckets at the top. */
	static final int LEVELS = 11;

	/** Visitors per bucket, on average, at which the next level begins. */
	static final int BUCKET_FILL = 400;

	/** The most members a bucket takes: Redis' default {@code set-max-intset-entries}. */
	static final int BUCKET_CAPACITY = 512;

	private DedupeSets() {
	}

	/**
	 * The names of a counter's generations: one without a TTL, two with one, used in
	 * turn.
	 */
	static List<String> generations(Duration dedupeTtl) {
		return dedupeTtl.isZero() ? List.of("") : List.of("0", "1");
	}

}
