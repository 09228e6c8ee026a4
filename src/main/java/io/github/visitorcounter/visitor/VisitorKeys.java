package io.github.visitorcounter.visitor;

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
 * </ul>
 * Visitor ids and client addresses are stored only as digests.
 */
class VisitorKeys {

	private final String prefix;

	private final KeyedHasher hasher;

	VisitorKeys(String prefix, KeyedHasher hasher) {
		this.prefix = prefix;
		this.hasher = hasher;
	}

	String count(String counter) {
		return this.prefix + ":{" + counter + "}:count";
	}

	String seen(String counter, String visitorId) {
		return this.prefix + ":{" + counter + "}:seen:" + this.hasher.digest(visitorId);
	}

	String requests(String counter, String clientAddress) {
		return this.prefix + ":{" + counter + "}:requests:" + this.hasher.digest(clientAddress);
	}

	String newVisitors(String counter, String clientAddress) {
		return this.prefix + ":{" + counter + "}:new:" + this.hasher.digest(clientAddress);
	}

}
