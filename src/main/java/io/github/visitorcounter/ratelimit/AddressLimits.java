package io.github.visitorcounter.ratelimit;

import java.time.Clock;
import java.time.Duration;

import io.github.visitorcounter.privacy.Client;
import io.github.visitorcounter.web.RateLimitExceededException;

import org.springframework.stereotype.Component;

/**
 * The budgets a client address has in this instance's memory, beside the per-counter
 * budget the registration script keeps in Redis: visits across all counters, and the
 * reads that cost Redis work (stats and badge). They cost no Redis command, so one client
 * can turn neither into a stream of billed commands, nor walk through counter names for a
 * fresh budget each. An IPv6 client counts by its /64.
 */
@Component
public class AddressLimits {

	/** Addresses tracked at once per budget: bounds memory under a flood. */
	static final int CAPACITY = 10_000;

	private final AddressBudget visits;

	private final AddressBudget reads;

	AddressLimits(RateLimitProperties rateLimit, ReadLimitProperties readLimit) {
		Clock clock = Clock.systemUTC();
		this.visits = rateLimit.enabled()
				? new AddressBudget(rateLimit.requestsAcrossCounters(), rateLimit.window(), CAPACITY, clock) : null;
		this.reads = readLimit.enabled() ? new AddressBudget(readLimit.requests(), readLimit.window(), CAPACITY, clock)
				: null;
	}

	/**
	 * Charges one visit, to whichever counter, to the client.
	 * @throws RateLimitExceededException when the client is over its budget
	 */
	public void chargeVisit(Client client) {
		charge(this.visits, client);
	}

	/**
	 * Charges one stats or badge read to the client.
	 * @throws RateLimitExceededException when the client is over its budget
	 */
	public void chargeRead(Client client) {
		charge(this.reads, client);
	}

	private static void charge(AddressBudget budget, Client client) {
		if (budget != null) {
			Duration wait = budget.charge(client.addressGroup());
			if (!wait.isZero()) {
				throw new RateLimitExceededException(budget.limit(), wait);
			}
		}
	}

}
