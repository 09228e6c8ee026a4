package io.github.visitorcounter.web;

import java.time.Duration;

/**
 * A client went over its request budget: answered with 429 and {@code Retry-After}.
 */
public class RateLimitExceededException extends RuntimeException {

	private final RateLimit rateLimit;

	public RateLimitExceededException(int limit, Duration retryAfter) {
		super("Request budget exceeded", null, false, false);
		this.rateLimit = new RateLimit(limit, 0, retryAfter);
	}

	public RateLimit rateLimit() {
		return this.rateLimit;
	}

	public long retryAfterSeconds() {
		return Math.max(1, RateLimit.ceilSeconds(this.rateLimit.reset()));
	}

}
