package io.github.visitorcounter.web;

import java.time.Duration;
import java.util.function.BiConsumer;

/**
 * Where a client stands against its request budget, as told in the {@code RateLimit-*}
 * response headers (IETF draft "RateLimit header fields for HTTP").
 *
 * @param limit requests allowed per window
 * @param remaining requests left in the current window
 * @param reset time until the oldest counted request leaves the window
 */
public record RateLimit(int limit, long remaining, Duration reset) {

	/**
	 * Writes the headers through a setter: {@code HttpHeaders::set} or
	 * {@code HttpServletResponse::setHeader}.
	 * @param setHeader sets the header of the given name to the given value
	 */
	public void writeTo(BiConsumer<String, String> setHeader) {
		setHeader.accept("RateLimit-Limit", Integer.toString(this.limit));
		setHeader.accept("RateLimit-Remaining", Long.toString(Math.max(0, this.remaining)));
		setHeader.accept("RateLimit-Reset", Long.toString(ceilSeconds(this.reset)));
	}

	static long ceilSeconds(Duration duration) {
		return Math.max(0, (duration.toMillis() + 999) / 1000);
	}

}
