package io.github.visitorcounter.visitor;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * The last count this instance saw per counter, for a short while: while Redis is down, a
 * page can still show a slightly old number (marked stale) instead of an error.
 */
@Component
class LastKnownCounts {

	static final Duration MAX_AGE = Duration.ofMinutes(10);

	/**
	 * Bounds memory: counters are named by clients. Past it, entries older than half the
	 * maximum age go, and a counter that still finds no room is not remembered.
	 */
	static final int MAX_ENTRIES = 10_000;

	private final Map<String, Seen> counts = new ConcurrentHashMap<>();

	private final Clock clock;

	LastKnownCounts() {
		this(Clock.systemUTC());
	}

	LastKnownCounts(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Remembers a count read or written just now. Only counters that exist are
	 * remembered: reads of made-up names cannot crowd out real counters.
	 */
	void remember(String counter, long count) {
		if (count <= 0) {
			return;
		}
		if (this.counts.size() >= MAX_ENTRIES && !this.counts.containsKey(counter)) {
			long cutoff = this.clock.millis() - MAX_AGE.toMillis() / 2;
			this.counts.values().removeIf((seen) -> seen.at() < cutoff);
			if (this.counts.size() >= MAX_ENTRIES) {
				return;
			}
		}
		this.counts.put(counter, new Seen(count, this.clock.millis()));
	}

	OptionalLong recall(String counter) {
		Seen seen = this.counts.get(counter);
		if (seen == null || this.clock.millis() - seen.at() > MAX_AGE.toMillis()) {
			return OptionalLong.empty();
		}
		return OptionalLong.of(seen.count());
	}

	private record Seen(long count, long at) {
	}

}
