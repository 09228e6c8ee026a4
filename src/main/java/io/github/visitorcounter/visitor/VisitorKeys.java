package io.github.visitorcounter.visitor;

/**
 * The Redis key layout. Every key of a counter carries the counter name as a hash tag, so
 * a counter's keys share one Redis Cluster slot and one script can touch them all.
 * <ul>
 * <li>{@code <prefix>:{<counter>}:count} the number of distinct visitors</li>
 * <li>{@code <prefix>:{<counter>}:seen:<digest>} marks a visitor as counted</li>
 * </ul>
 */
class VisitorKeys {

	private final String prefix;

	private final VisitorIdHasher hasher;

	VisitorKeys(String prefix, VisitorIdHasher hasher) {
		this.prefix = prefix;
		this.hasher = hasher;
	}

	String count(String counter) {
		return this.prefix + ":{" + counter + "}:count";
	}

	String seen(String counter, String visitorId) {
		return this.prefix + ":{" + counter + "}:seen:" + this.hasher.digest(visitorId);
	}

}
