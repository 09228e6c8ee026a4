package io.github.visitorcounter.visitor;

import java.time.Duration;
import java.util.Optional;

import io.github.visitorcounter.counter.RegistrationScript;
import io.github.visitorcounter.counter.RegistrationScript.Outcome;
import io.github.visitorcounter.counter.RegistrationScript.PageOutcome;
import io.github.visitorcounter.counter.RegistrationScript.PageVisit;
import io.github.visitorcounter.counter.RegistrationScript.Result;
import io.github.visitorcounter.privacy.Client;
import io.github.visitorcounter.privacy.CountingPolicy;
import io.github.visitorcounter.ratelimit.AddressLimits;
import io.github.visitorcounter.ratelimit.OverBudgetClients;
import io.github.visitorcounter.ratelimit.RateLimitProperties;
import io.github.visitorcounter.web.ProblemException;
import io.github.visitorcounter.web.ProblemType;
import io.github.visitorcounter.web.RateLimit;
import io.github.visitorcounter.web.RateLimitExceededException;

import org.springframework.stereotype.Service;

/**
 * Registers visits: the privacy and abuse checks that need no Redis first, then one
 * atomic script call, so one Redis command per request.
 */
@Service
class VisitorCounter {

	static final String NEW_VISITOR_CAP = "new-visitor-cap";

	/** The owner is deleting the counter: the visit is answered, not counted. */
	static final String RESETTING = "resetting";

	/**
	 * The counter holds as many pages as it may: the visit is counted for it, not for the
	 * page, which is not created.
	 */
	static final String PAGE_LIMIT = "page-limit";

	private final RegistrationScript registrationScript;

	private final CountingPolicy countingPolicy;

	private final OverBudgetClients overBudgetClients;

	private final AddressLimits addressLimits;

	private final RateLimitProperties rateLimit;

	private final VisitMetrics metrics;

	VisitorCounter(RegistrationScript registrationScript, CountingPolicy countingPolicy,
			OverBudgetClients overBudgetClients, AddressLimits addressLimits, RateLimitProperties rateLimit,
			VisitMetrics metrics) {
		this.registrationScript = registrationScript;
		this.countingPolicy = countingPolicy;
		this.overBudgetClients = overBudgetClients;
		this.addressLimits = addressLimits;
		this.rateLimit = rateLimit;
		this.metrics = metrics;
	}

	/**
	 * Counts the visitor unless it was seen before, it may not be counted, or its client
	 * is over a limit.
	 * @throws RateLimitExceededException when the client is over its request budget
	 */
	Registration register(String counter, String visitorId, Client client) {
		return register(counter, visitorId, client, null);
	}

	/**
	 * Counts the visitor for the counter and for a page of it, as
	 * {@link #register(String, String, Client)}, in the same one script call.
	 * @param page the page's normalised path, or {@code null} for the counter alone
	 * @throws RateLimitExceededException when the client is over its request budget
	 */
	Registration register(String counter, String visitorId, Client client, String page) {
		this.addressLimits.chargeVisit(client);
		// An IPv6 client by its /64: it could otherwise pass every limit by rotating
		// addresses.
		String address = client.addressGroup();
		String budgetHolder = counter + " " + address;
		if (this.rateLimit.enabled()) {
			Duration blocked = this.overBudgetClients.blockedFor(budgetHolder);
			if (!blocked.isZero()) {
				this.metrics.overBudget(counter, "memory");
				throw new RateLimitExceededException(this.rateLimit.requests(), blocked);
			}
		}
		Optional<String> notCountable = this.countingPolicy.notCountedReason(client);
		Result result = this.metrics.timeScript(
				() -> this.registrationScript.register(counter, visitorId, address, notCountable.isEmpty(), page));
		if (result.outcome() == Outcome.UNKNOWN_COUNTER) {
			throw new ProblemException(ProblemType.UNKNOWN_COUNTER);
		}
		if (result.outcome() == Outcome.OVER_BUDGET) {
			this.overBudgetClients.block(budgetHolder, result.reset());
			this.metrics.overBudget(counter, "redis");
			throw new RateLimitExceededException(this.rateLimit.requests(), result.reset());
		}
		RateLimit budget = this.rateLimit.enabled()
				? new RateLimit(this.rateLimit.requests(), result.remaining(), result.reset()) : null;
		String notCounted = switch (result.outcome()) {
			case CAPPED -> NEW_VISITOR_CAP;
			case NOT_COUNTABLE -> notCountable.orElseThrow();
			case RESETTING -> RESETTING;
			default -> (result.page() != null && result.page().outcome() == PageOutcome.LIMIT) ? PAGE_LIMIT : null;
		};
		this.metrics.registered(counter,
				(notCounted != null) ? notCounted : (result.outcome() == Outcome.NEW) ? "new" : "returning");
		return new Registration(counter, result.count(), result.outcome() == Outcome.NEW, notCounted, budget,
				result.page());
	}

	/**
	 * The result of a registration.
	 *
	 * @param counter the counter
	 * @param count its count after the registration
	 * @param newVisitor whether this visit was counted
	 * @param notCountedReason why a visit was not counted, or {@code null}
	 * @param rateLimit the client's request budget, or {@code null} when budgets are off
	 * @param page what the visit did to the page, or {@code null} for a visit to the
	 * counter alone, or one that wrote nothing
	 */
	record Registration(String counter, long count, boolean newVisitor, String notCountedReason, RateLimit rateLimit,
			PageVisit page) {

		Registration(String counter, long count, boolean newVisitor, String notCountedReason, RateLimit rateLimit) {
			this(counter, count, newVisitor, notCountedReason, rateLimit, null);
		}

	}

}
