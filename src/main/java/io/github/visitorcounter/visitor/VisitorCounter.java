package io.github.visitorcounter.visitor;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.github.visitorcounter.live.LiveProperties;
import io.github.visitorcounter.privacy.Client;
import io.github.visitorcounter.privacy.CountingPolicy;
import io.github.visitorcounter.ratelimit.NewVisitorCapProperties;
import io.github.visitorcounter.ratelimit.OverBudgetClients;
import io.github.visitorcounter.ratelimit.RateLimit;
import io.github.visitorcounter.ratelimit.RateLimitExceededException;
import io.github.visitorcounter.ratelimit.RateLimitProperties;
import io.github.visitorcounter.stats.StatsProperties;

import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Service;

/**
 * Counts distinct visitors per counter in Redis. Registering a visit, with its privacy
 * and abuse checks, is one atomic script call: one Redis command per request.
 */
@Service
public class VisitorCounter {

	static final String NEW_VISITOR_CAP = "new-visitor-cap";

	private static final long OUTCOME_OVER_BUDGET = -1;

	private static final long OUTCOME_NEW = 1;

	private static final long OUTCOME_CAPPED = 2;

	private static final long OUTCOME_NOT_COUNTABLE = 3;

	private final StringRedisTemplate redis;

	private final RedisScript<List<Long>> registerVisitScript;

	private final VisitorKeys keys;

	private final CountingPolicy countingPolicy;

	private final OverBudgetClients overBudgetClients;

	private final RateLimitProperties rateLimit;

	private final VisitMetrics metrics;

	private final String dedupeTtlSeconds;

	private final String requestBudget;

	private final String requestWindowMillis;

	private final String newVisitorCap;

	private final String newVisitorWindowMillis;

	private final Clock clock;

	private final StatsProperties stats;

	private final String dayTtlSeconds;

	private final String publishCommand;

	/**
	 * Unique request tokens across instances: the sliding-window logs need one member per
	 * request.
	 */
	private final String tokenPrefix = UUID.randomUUID().toString().substring(0, 8) + ":";

	private final AtomicLong tokenSequence = new AtomicLong();

	VisitorCounter(StringRedisTemplate redis, RedisScript<List<Long>> registerVisitScript, VisitorKeys keys,
			VisitorProperties properties, CountingPolicy countingPolicy, OverBudgetClients overBudgetClients,
			RateLimitProperties rateLimit, NewVisitorCapProperties newVisitorCap, VisitMetrics metrics, Clock clock,
			StatsProperties stats, LiveProperties live) {
		this.redis = redis;
		this.registerVisitScript = registerVisitScript;
		this.keys = keys;
		this.countingPolicy = countingPolicy;
		this.overBudgetClients = overBudgetClients;
		this.rateLimit = rateLimit;
		this.metrics = metrics;
		this.dedupeTtlSeconds = Long.toString(properties.dedupeTtlSeconds());
		this.requestBudget = Integer.toString(rateLimit.enabled() ? rateLimit.requests() : 0);
		this.requestWindowMillis = Long.toString(rateLimit.window().toMillis());
		this.newVisitorCap = Integer.toString(newVisitorCap.enabled() ? newVisitorCap.perIp() : 0);
		this.newVisitorWindowMillis = Long.toString(newVisitorCap.window().toMillis());
		this.clock = clock;
		this.stats = stats;
		this.dayTtlSeconds = Long.toString(stats.dayTtl().toSeconds());
		this.publishCommand = live.publishCommand();
	}

	/**
	 * Counts the visitor unless it was seen before, it may not be counted, or its client
	 * is over a limit.
	 * @throws RateLimitExceededException when the client is over its request budget
	 */
	Registration register(String counter, String visitorId, Client client) {
		String budgetHolder = counter + " " + client.address();
		if (this.rateLimit.enabled()) {
			Duration blocked = this.overBudgetClients.blockedFor(budgetHolder);
			if (!blocked.isZero()) {
				this.metrics.overBudget(counter, "memory");
				throw new RateLimitExceededException(this.rateLimit.requests(), blocked);
			}
		}
		Optional<String> notCountable = this.countingPolicy.notCountedReason(client);
		String visitorDigest = this.keys.digest(visitorId);
		String addressDigest = this.keys.digest(client.address());
		List<Long> result = this.metrics.timeScript(() -> this.redis.execute(this.registerVisitScript,
				List.of(this.keys.count(counter), this.keys.seen(counter, visitorDigest),
						this.keys.requests(counter, addressDigest), this.keys.newVisitors(counter, addressDigest),
						this.keys.day(counter, this.stats.today(this.clock)), this.keys.changes(counter)),
				this.dedupeTtlSeconds, notCountable.isPresent() ? "0" : "1", this.requestBudget,
				this.requestWindowMillis, this.newVisitorCap, this.newVisitorWindowMillis,
				this.tokenPrefix + this.tokenSequence.incrementAndGet(), visitorDigest, this.dayTtlSeconds,
				this.publishCommand));
		long outcome = result.get(0);
		if (outcome == OUTCOME_OVER_BUDGET) {
			Duration retryAfter = Duration.ofMillis(result.get(3));
			this.overBudgetClients.block(budgetHolder, retryAfter);
			this.metrics.overBudget(counter, "redis");
			throw new RateLimitExceededException(this.rateLimit.requests(), retryAfter);
		}
		RateLimit budget = this.rateLimit.enabled()
				? new RateLimit(this.rateLimit.requests(), result.get(2), Duration.ofMillis(result.get(3))) : null;
		String notCounted = (outcome == OUTCOME_CAPPED) ? NEW_VISITOR_CAP
				: (outcome == OUTCOME_NOT_COUNTABLE) ? notCountable.orElseThrow() : null;
		this.metrics.registered(counter,
				(notCounted != null) ? notCounted : (outcome == OUTCOME_NEW) ? "new" : "returning");
		return new Registration(counter, result.get(1), outcome == OUTCOME_NEW, notCounted, budget);
	}

	public long count(String counter) {
		String count = this.redis.opsForValue().get(this.keys.count(counter));
		return (count != null) ? Long.parseLong(count) : 0;
	}

	/**
	 * The result of a registration.
	 *
	 * @param counter the counter
	 * @param count its count after the registration
	 * @param newVisitor whether this visit was counted
	 * @param notCountedReason why a visit was not counted, or {@code null}
	 * @param rateLimit the client's request budget, or {@code null} when budgets are off
	 */
	record Registration(String counter, long count, boolean newVisitor, String notCountedReason, RateLimit rateLimit) {

	}

}
