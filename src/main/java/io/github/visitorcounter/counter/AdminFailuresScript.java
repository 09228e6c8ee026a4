package io.github.visitorcounter.counter;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The typed call of {@code scripts/admin-failures.lua}: the budget of failed owner-API
 * authentications per client address, a sliding window kept in Redis so that every
 * instance shares it.
 */
public class AdminFailuresScript {

	static final String SCRIPT = "admin-failures.lua";

	private final StringRedisTemplate redis;

	private final LuaScripts scripts;

	private final CounterKeys keys;

	private final String tokenPrefix = UUID.randomUUID().toString().substring(0, 8) + ":";

	private final AtomicLong attempts = new AtomicLong();

	AdminFailuresScript(StringRedisTemplate redis, LuaScripts scripts, CounterKeys keys) {
		this.redis = redis;
		this.scripts = scripts;
		this.keys = keys;
	}

	/**
	 * Checks the address's budget and, for a failed attempt, charges it.
	 * @param address the client address (stored only as a digest)
	 * @param failed whether this attempt failed
	 * @param allowed failures allowed per window
	 * @param window the sliding window
	 * @return how long the address must wait before it may try again;
	 * {@link Duration#ZERO} while attempts are allowed
	 */
	public Duration lockedOutFor(String address, boolean failed, int allowed, Duration window) {
		List<Long> verdict = this.redis.execute(this.scripts.returningIntegers(SCRIPT),
				List.of(this.keys.adminFailures(address)), Integer.toString(allowed), Long.toString(window.toMillis()),
				failed ? "1" : "0", this.tokenPrefix + this.attempts.incrementAndGet());
		return (verdict.get(0) == 1) ? Duration.ZERO : Duration.ofMillis(verdict.get(1));
	}

}
