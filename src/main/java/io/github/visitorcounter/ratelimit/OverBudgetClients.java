package io.github.visitorcounter.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Remembers, for a short while, which clients are over their budget, so that a flood from
 * one address is answered with 429 without spending a Redis command per request (a
 * metered Redis bills each one).
 */
@Component
public class OverBudgetClients {

	/**
	 * Bounds memory under a flood from many addresses; past it, expired entries go, and a
	 * client that still finds no room is not remembered: it costs a Redis command per
	 * request again, but cannot push out a client that is remembered.
	 */
	static final int MAX_ENTRIES = 10_000;

	private final Map<String, Long> blockedUntil = new ConcurrentHashMap<>();

	private final Clock clock;

	public OverBudgetClients() {
		this(Clock.systemUTC());
	}

	OverBudgetClients(Clock clock) {
		this.clock = clock;
	}

	/** How long the client is still blocked, or {@link Duration#ZERO}. */
	public Duration blockedFor(String client) {
		Long until = this.blockedUntil.get(client);
		if (until == null) {
			return Duration.ZERO;
		}
		long left = until - this.clock.millis();
		if (left <= 0) {
			this.blockedUntil.remove(client, until);
			return Duration.ZERO;
		}
		return Duration.ofMillis(left);
	}

	public void block(String client, Duration duration) {
		if (this.blockedUntil.size() >= MAX_ENTRIES && !this.blockedUntil.containsKey(client)) {
			long now = this.clock.millis();
			this.blockedUntil.values().removeIf((until) -> until <= now);
			if (this.blockedUntil.size() >= MAX_ENTRIES) {
				return;
			}
		}
		this.blockedUntil.put(client, this.clock.millis() + duration.toMillis());
	}

}
