package io.github.visitorcounter.visitor;

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
 * </ul>
 * Visitor ids and client addresses are stored only as digests.
 */
public class VisitorKeys {

	private final String prefix;

	private final KeyedHasher hasher;

	VisitorKeys(String prefix, KeyedHasher hasher) {
		this.prefix = prefix;
		this.hasher = hasher;
	}

	public String count(String counter) {
		return this.prefix + ":{" + counter + "}:count";
	}

	String seen(String counter, String visitorId) {
		return seenDigest(counter, visitorDigest(visitorId));
	}

	String visitorDigest(String visitorId) {
		return this.hasher.digest(visitorId);
	}

	String seenDigest(String counter, String visitorDigest) {
		return this.prefix + ":{" + counter + "}:seen:" + visitorDigest;
	}

	public String day(String counter, LocalDate day) {
		return this.prefix + ":{" + counter + "}:day:" + day;
	}

	public String changes(String counter) {
		return this.prefix + ":{" + counter + "}:changes";
	}

	/** The counter whose change channel this is. */
	public String counterOfChanges(String channel) {
		return channel.substring(this.prefix.length() + 2, channel.length() - "}:changes".length());
	}

	String requests(String counter, String clientAddress) {
		return this.prefix + ":{" + counter + "}:requests:" + this.hasher.digest(clientAddress);
	}

	String newVisitors(String counter, String clientAddress) {
		return this.prefix + ":{" + counter + "}:new:" + this.hasher.digest(clientAddress);
	}

}
