package io.github.visitorcounter.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A request budget per client address, kept in this instance's memory: no Redis command
 * per check, so it costs nothing on a metered Redis, and each instance enforces it on its
 * own (n instances behind a balancer admit up to n times the budget).
 * <p>
 * The window slides by the usual approximation: the previous window's requests are
 * weighted by how much of it still overlaps the sliding window, so no window edge admits
 * a double burst. Memory is bounded: past {@code capacity} addresses, stale entries are
 * dropped, and an address that still finds no room is let through uncounted rather than
 * evicting one that is counted.
 */
class AddressBudget {

	private final int limit;

	private final long windowMillis;

	private final int capacity;

	private final Clock clock;

	private final Map<String, Windows> windows = new ConcurrentHashMap<>();

	AddressBudget(int limit, Duration window, int capacity, Clock clock) {
		this.limit = limit;
		this.windowMillis = window.toMillis();
		this.capacity = capacity;
		this.clock = clock;
	}

	int limit() {
		return this.limit;
	}

	/**
	 * Charges one request to the address.
	 * @return {@link Duration#ZERO} when the request is within the budget, otherwise how
	 * long until one would be
	 */
	Duration charge(String address) {
		long now = this.clock.millis();
		long current = now / this.windowMillis;
		if (!this.windows.containsKey(address) && this.windows.size() >= this.capacity) {
			this.windows.values().removeIf((entry) -> entry.isStale(current));
			if (this.windows.size() >= this.capacity) {
				return Duration.ZERO;
			}
		}
		long[] waitMillis = { 0 };
		this.windows.compute(address, (key, entry) -> {
			Windows windows = (entry != null) ? entry.movedTo(current) : new Windows(current, 0, 0);
			double elapsed = (double) (now - current * this.windowMillis) / this.windowMillis;
			double used = windows.previous() * (1 - elapsed) + windows.count();
			if (used + 1 > this.limit) {
				waitMillis[0] = Math.max(1, (current + 1) * this.windowMillis - now);
				return windows;
			}
			return new Windows(current, windows.count() + 1, windows.previous());
		});
		return Duration.ofMillis(waitMillis[0]);
	}

	/**
	 * @param window the number of the window {@code count} belongs to
	 * @param count requests in that window
	 * @param previous requests in the window before it
	 */
	private record Windows(long window, int count, int previous) {

		Windows movedTo(long current) {
			if (current == this.window) {
				return this;
			}
			return new Windows(current, 0, (current == this.window + 1) ? this.count : 0);
		}

		boolean isStale(long current) {
			return this.window < current - 1;
		}

	}

}
