package io.github.visitorcounter.web;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs requests that failed because Redis is unavailable without flooding the log: a busy
 * site would otherwise write one warning per request for as long as the outage lasts. The
 * first failure is logged at once, later ones at most once per {@link #INTERVAL}, with
 * how many failed in between.
 */
final class StorageFailureLog {

	static final Duration INTERVAL = Duration.ofSeconds(10);

	private static final Log log = LogFactory.getLog(StorageFailureLog.class);

	private final Clock clock;

	private final AtomicLong nextWarningAt = new AtomicLong(Long.MIN_VALUE);

	private final AtomicLong unlogged = new AtomicLong();

	StorageFailureLog(Clock clock) {
		this.clock = clock;
	}

	void failed(Exception ex) {
		long now = this.clock.millis();
		long next = this.nextWarningAt.get();
		if (now < next || !this.nextWarningAt.compareAndSet(next, now + INTERVAL.toMillis())) {
			this.unlogged.incrementAndGet();
			return;
		}
		long others = this.unlogged.getAndSet(0);
		log.warn("Redis is unavailable: " + ex.getMessage()
				+ ((others > 0) ? " (and " + others + " more failed requests since the last warning)" : ""));
	}

}
