package io.github.visitorcounter.counter;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The typed call of {@code scripts/admin-failures.lua}: the budget of failed owner-API
 * authentications per client address and across all addresses, sliding windows kept in
 * Redis so that every instance shares them.
 */
public class AdminFailuresScript {

	static final String SCRIPT = "admin-failures.lua";

	private final LuaScripts scripts;

	private final CounterKeys keys;

	private final String tokenPrefix = UUID.randomUUID().toString().substring(0, 8) + ":";

	private final AtomicLong attempts = new AtomicLong();

	AdminFailuresScript(LuaScripts scripts, CounterKeys keys) {
		this.scripts = scripts;
		this.keys = keys;
	}

	/**
	 * Checks the budgets and, for a failed attempt, charges both.
	 * @param address the client address (stored only as a digest)
	 * @param failed whether this attempt failed
	 * @param perAddress failures allowed per address and window
	 * @param inAll failures allowed across all addresses per window
	 * @param window the sliding window
	 * @return how long the address must wait before it may try again;
	 * {@link Duration#ZERO} while attempts are allowed
	 */
	public Duration lockedOutFor(String address, boolean failed, int perAddress, int inAll, Duration window) {
		List<Long> verdict = this.scripts.runForIntegers(SCRIPT,
				List.of(this.keys.adminFailures(address), this.keys.adminFailuresOfAll()), Integer.toString(perAddress),
				Integer.toString(inAll), Long.toString(window.toMillis()), failed ? "1" : "0",
				this.tokenPrefix + this.attempts.incrementAndGet());
		return (verdict.get(0) == 1) ? Duration.ZERO : Duration.ofMillis(verdict.get(1));
	}

}
