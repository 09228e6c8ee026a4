package io.github.visitorcounter.counter;

import java.time.LocalDate;

/**
 * The Redis key layout. Every key of a counter carries the counter name as a hash tag, so
 * a counter's keys share one Redis Cluster slot and one script can touch them all.
 * <ul>
 * <li>{@code <prefix>:{<counter>}:count} the number of distinct visitors</li>
 * <li>{@code <prefix>:{<counter>}:seen:<digest>} marks a visitor as counted</li>
 * <li>{@code <prefix>:{<counter>}:requests:<address digest>} recent requests of a client
 * address</li>
 * <li>{@code <prefix>:{<counter>}:new:<address digest>} new visitors a client address
 * registered recently</li>
 * <li>{@code <prefix>:{<counter>}:day:<yyyy-mm-dd>} HyperLogLog of the visitors of a
 * day</li>
 * <li>{@code <prefix>:{<counter>}:changes} the pub/sub channel that announces new counts;
 * it carries the hash tag too, so a sharded channel lives on the counter's shard</li>
 * <li>{@code <prefix>:{=registry}:counters} the names of the counters that exist</li>
 * <li>{@code <prefix>:{=admin-failures}:<address digest>} and
 * {@code <prefix>:{=admin-failures}:all} failed owner-API authentications of a client
 * address, and of all</li>
 * </ul>
 * Visitor ids and client addresses are stored only as digests.
 */
public class CounterKeys {

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

	String seen(String counter, String visitorDigest) {
		return this.prefix + ":{" + counter + "}:seen:" + visitorDigest;
	}

	public String day(String counter, LocalDate day) {
		return this.prefix + ":{" + counter + "}:day:" + day;
	}

	public String changes(String counter) {
		return this.prefix + ":{" + counter + "}:changes";
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

	/** Set once the counters made before the registry are in it. */
	String registryComplete() {
		return this.prefix + ":{=registry}:complete";
	}

	/** A {@code SCAN} pattern for every key of a counter. */
	String everyKeyOf(String counter) {
		return this.prefix + ":{" + counter + "}:*";
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
