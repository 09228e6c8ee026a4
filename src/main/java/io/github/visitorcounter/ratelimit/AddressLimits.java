package io.github.visitorcounter.ratelimit;

import java.time.Clock;
import java.time.Duration;

import io.github.visitorcounter.privacy.Client;
import io.github.visitorcounter.web.RateLimitExceededException;

import org.springframework.stereotype.Component;

/**
 * Limits the reads that cost Redis work per client address (an IPv6 client by its /64),
 * so that one client cannot turn them into a stream of billed commands.
 */
@Component
public class ReadBudget {

	/** Addresses tracked at once: bounds memory under a flood from many addresses. */
	static final int CAPACITY = 10_000;

	private final AddressBudget budget;

	ReadBudget(ReadLimitProperties properties) {
		this.budget = properties.enabled()
				? new AddressBudget(properties.requests(), properties.window(), CAPACITY, Clock.systemUTC()) : null;
	}

	/**
	 * Charges one read to the client.
	 * @throws RateLimitExceededException when the client is over its budget
	 */
	public void charge(Client client) {
		if (this.budget != null) {
			Duration wait = this.budget.charge(client.addressGroup());
			if (!wait.isZero()) {
				throw new RateLimitExceededException(this.budget.limit(), wait);
			}
		}
	}

}
