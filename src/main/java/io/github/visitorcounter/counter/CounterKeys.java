package io.github.visitorcounter.counter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The Redis key layout. Every key of a counter carries the counter name as a hash tag, so
 * a counter's keys share one Redis Cluster slot and one script can touch them all.
 * <ul>
 * <li>{@code <prefix>:{<counter>}:count} the number of distinct visitors</li>
 * <li>{@code <prefix>:{<counter>}:v<generation>} the state of the counter's dedupe sets
 * ({@link DedupeSets}): how many visitors they hold, the highest level in use and, with a
 * dedupe TTL, when they expire; {@code <generation>} is empty without a TTL, {@code 0} or
 * {@code 1} with one</li>
 * <li>{@code <prefix>:{<counter>}:v<generation>:<level>:<bucket>} one bucket of visitors,
 * a set of 64-bit integers</li>
 * <li>{@code <prefix>:{<counter>}:pages} the counter's pages: a sorted set of their
 * normalised paths ({@link PagePaths}), scored by their counts</li>
 * <li>{@code <prefix>:{<counter>}:page:<page digest>:v<generation>} and its buckets, a
 * page's dedupe sets, laid out as the counter's</li>
 * <li>{@code <prefix>:{<counter>}:seen:<digest>} marks a visitor as counted, in the
 * layout before dedupe sets; moved into them when the visitor comes back</li>
 * <li>{@code <prefix>:{<counter>}:requests:<address digest>} recent requests of a client
 * address</li>
 * <li>{@code <prefix>:{<counter>}:new:<address digest>} new visitors a client address
 * registered recently</li>
 * <li>{@code <prefix>:{<counter>}:day:<yyyy-mm-dd>} HyperLogLog of the visitors of a
 * day</li>
 * <li>{@code <prefix>:{<counter>}:resetting} present while the owner resets the
 * counter</li>
 * <li>{@code <prefix>:{<counter>}:changes} the pub/sub channel that announces new counts;
 * it carries the hash tag too, so a sharded channel lives on the counter's shard</li>
 * <li>{@code <prefix>:{=registry}:counters} the names of the counters that exist, and
 * {@code <prefix>:{=registry}:created-by-visits} those of them that visits created</li>
 * <li>{@code <prefix>:{=admin-failures}:<address digest>} and
 * {@code <prefix>:{=admin-failures}:all} failed owner-API authentications of a client
 * address, and of all</li>
 * </ul>
 * Visitor ids and client addresses are stored only as digests.
 */
public class CounterKeys {

	private static final Base64.Encoder PAGE_DIGEST = Base64.getUrlEncoder().withoutPadding();

	private final String prefix;

	private final KeyedHasher hasher;

	CounterKeys(String prefix, KeyedHasher hasher) {
		this.prefix = prefix;
		this.hasher = hasher;
	}

	public String count(String counter) {
		return this.prefix + ":{" + counter + "}:count";
	}

	/** The digest that stands for a visitor id or a client address in keys. */
	public String digest(String value) {
		return this.hasher.digest(value);
	}

	/** Where a visitor stands in the dedupe sets, from the digest of its id. */
	VisitorDigest visitor(String visitorId) {
		return VisitorDigest.of(this.hasher.digestBytes(visitorId));
	}

	/**
	 * The integer that stands for a visitor id in a counter's dedupe sets, as Redis
	 * returns it.
	 */
	public String dedupeMember(String visitorId) {
		return visitor(visitorId).memberText();
	}

	/**
	 * A generation's state key followed by the visitor's bucket at every level, 0 up.
	 */
	List<String> dedupe(String counter, String generation, VisitorDigest visitor) {
		return dedupeAt(dedupeState(counter, generation), visitor);
	}

	/**
	 * The state key of a generation of dedupe sets followed by the visitor's bucket at
	 * every level, 0 up: a counter's sets or a page's.
	 */
	List<String> dedupeAt(String state, VisitorDigest visitor) {
		List<String> keys = new ArrayList<>(DedupeSets.LEVELS + 1);
		keys.add(state);
		for (int level = 0; level < DedupeSets.LEVELS; level++) {
			keys.add(state + ":" + level + ":" + visitor.bucket(level));
		}
		return keys;
	}

	/**
	 * Every bucket a level of the dedupe sets of a state key may have, whether it exists
	 * or not.
	 */
	List<String> dedupeBucketsAt(String state, int level) {
		int buckets = 1 << (2 * level);
		List<String> keys = new ArrayList<>(buckets);
		for (int bucket = 0; bucket < buckets; bucket++) {
			keys.add(state + ":" + level + ":" + bucket);
		}
		return keys;
	}

	String dedupeState(String counter, String generation) {
		return this.prefix + ":{" + counter + "}:v" + generation;
	}

	/**
	 * The state key of a generation of a page's dedupe sets, which are laid out as the
	 * counter's.
	 */
	String pageDedupeState(String counter, String pageDigest, String generation) {
		return this.prefix + ":{" + counter + "}:page:" + pageDigest + ":v" + generation;
	}

	/**
	 * The digest that stands for a page in keys: SHA-256 of its normalised path,
	 * truncated to 128 bits, in base64url. Not keyed: a path is no secret, and stored
	 * beside it.
	 */
	String pageDigest(String normalisedPath) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(normalisedPath.getBytes(StandardCharsets.UTF_8));
			return PAGE_DIGEST.encodeToString(Arrays.copyOf(digest, 16));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	/**
	 * A counter's pages: each one's normalised path, kept there once, scored by its
	 * count, which ranks the top pages.
	 */
	String pageCounts(String counter) {
		return this.prefix + ":{" + counter + "}:pages";
	}

	String seen(String counter, String visitorDigest) {
		return this.prefix + ":{" + counter + "}:seen:" + visitorDigest;
	}

	public String day(String counter, LocalDate day) {
		return this.prefix + ":{" + counter + "}:day:" + day;
	}

	public String changes(String counter) {
		return this.prefix + ":{" + counter + "}:changes";
	}

	String resetting(String counter) {
		return this.prefix + ":{" + counter + "}:resetting";
	}

	String requests(String counter, String addressDigest) {
		return this.prefix + ":{" + counter + "}:requests:" + addressDigest;
	}

	String newVisitors(String counter, String addressDigest) {
		return this.prefix + ":{" + counter + "}:new:" + addressDigest;
	}

	/**
	 * Failed owner-API authentications of one client address. Every failure log shares
	 * one hash tag, so one script can check an address's log and the log of all.
	 */
	public String adminFailures(String address) {
		return this.prefix + ":{=admin-failures}:" + digest(address);
	}

	/** Failed owner-API authentications of all client addresses. */
	public String adminFailuresOfAll() {
		return this.prefix + ":{=admin-failures}:all";
	}

	/**
	 * The names of the counters that exist. Its hash tag holds a character no counter
	 * name may have, so it shares no key space with a counter.
	 */
	public String registry() {
		return this.prefix + ":{=registry}:counters";
	}

	/**
	 * The names of the counters that visits created, which the cap on counters bounds:
	 * beside the registry, in its hash slot.
	 */
	String createdByVisits() {
		return this.prefix + ":{=registry}:created-by-visits";
	}

	/** Set once the counters made before the registry are in it. */
	String registryComplete() {
		return this.prefix + ":{=registry}:complete";
	}

	/** A {@code SCAN} pattern for the pages of all counters. */
	String everyPageCounts() {
		return this.prefix + ":{*}:pages";
	}

	/** A {@code SCAN} pattern for the count keys of all counters. */
	String everyCount() {
		return this.prefix + ":{*}:count";
	}

	/** The counter a key or channel of this layout belongs to. */
	public String counterOf(String key) {
		return key.substring(this.prefix.length() + 2, key.indexOf('}', this.prefix.length() + 2));
	}

}
