package io.github.visitorcounter.ratelimit;

import java.time.Duration;

import org.springframework.http.HttpHeaders;

/**
 * Where a client stands against its request budget, as told in the {@code RateLimit-*}
 * response headers (IETF draft "RateLimit header fields for HTTP").
 *
 * @param limit requests allowed per window
 * @param remaining requests left in the current window
 * @param reset time until the oldest counted request leaves the window
 */
public record RateLimit(int limit, long remaining, Duration reset) {

	public void writeTo(HttpHeaders headers) {
		headers.set("RateLimit-Limit", Integer.toString(this.limit));
		headers.set("RateLimit-Remaining", Long.toString(Math.max(0, this.remaining)));
		headers.set("RateLimit-Reset", Long.toString(ceilSeconds(this.reset)));
	}

	static long ceilSeconds(Duration duration) {
		return Math.max(0, (duration.toMillis() + 999) / 1000);
	}

}
