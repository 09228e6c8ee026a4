package io.github.visitorcounter.counter;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Registers visits the way the version before the dedupe sets did, one seen-key per
 * visitor, with that version's script (kept verbatim in
 * {@code src/test/resources/legacy/}): the Redis an upgrade starts from.
 */
final class SeenKeysLayout {

	private static final String ADDRESS = "198.51.100.99";

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> SCRIPT = RedisScript
		.of(new ClassPathResource("legacy/register-visit-seen-keys.lua"), List.class);

	private SeenKeysLayout() {
	}

	/**
	 * Registers a new visitor, with the given dedupe TTL ({@link Duration#ZERO}: none).
	 */
	static void register(StringRedisTemplate redis, CounterKeys keys, Duration dedupeTtl, String counter,
			String visitorId) {
		String digest = keys.digest(visitorId);
		String address = keys.digest(ADDRESS);
		List<String> scriptKeys = List.of(keys.count(counter), keys.seen(counter, digest),
				keys.requests(counter, address), keys.newVisitors(counter, address), keys.day(counter, LocalDate.now()),
				keys.changes(counter));
		Object[] args = { Long.toString(dedupeTtl.toSeconds()), "0", "10000", "0", "3600000", "34560000", "SPUBLISH",
				"1", "token-" + visitorId, digest };
		assertThat(redis.execute(SCRIPT, scriptKeys, args)).as("registered with a seen-key").first().isEqualTo(1L);
	}

}
