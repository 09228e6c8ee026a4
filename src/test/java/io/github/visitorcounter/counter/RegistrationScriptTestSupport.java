package io.github.visitorcounter.counter;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.github.visitorcounter.testing.TestRedisConfiguration;
import io.github.visitorcounter.counter.RegistrationScript.Limits;
import io.github.visitorcounter.counter.RegistrationScript.Outcome;
import io.github.visitorcounter.counter.RegistrationScript.Result;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.redis.test.autoconfigure.DataRedisTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For tests of the storage path against the shared test Redis, emptied before each test:
 * registration scripts with given settings, and what they left in Redis.
 */
@DataRedisTest
@Import(TestRedisConfiguration.class)
abstract class RegistrationScriptTestSupport {

	static final String ALICE = "0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a";

	static final String BOB = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

	static final String ADDRESS = "198.51.100.7";

	static final CounterProperties DEFAULTS = new CounterProperties("visitors", null, null);

	static final Limits NO_LIMITS = new Limits(0, Duration.ofSeconds(10), 0, Duration.ofHours(1));

	@Autowired
	StringRedisTemplate redis;

	@BeforeEach
	void emptyRedis() {
		TestRedisConfiguration.flushAll(this.redis);
	}

	RegistrationScript script(CounterProperties properties, Limits limits) {
		return script(this.redis, scripts(), properties, limits);
	}

	/**
	 * A registration script with the given settings, days in UTC, and the default others.
	 */
	static RegistrationScript script(StringRedisTemplate redis, LuaScripts scripts, CounterProperties properties,
			Limits limits) {
		return new RegistrationScript(scripts, keys(properties), registry(redis, scripts, keys(properties)), properties,
				new VisitDays(new DayProperties(ZoneOffset.UTC, Duration.ofDays(400)), Clock.systemUTC()),
				new ChannelProperties(true), limits, new PageProperties(10_000));
	}

	LuaScripts scripts() {
		return new LuaScripts(this.redis, RegistrationScript.SCRIPT, CounterRegistry.SCRIPT);
	}

	/** The registry of the default settings: any name, up to 1,000 counters. */
	static CounterRegistry registry(StringRedisTemplate redis, LuaScripts scripts, CounterKeys keys) {
		return new CounterRegistry(redis, scripts, keys,
				new ServedCounters(new ServedCountersProperties(List.of(), 1000)));
	}

	CounterStore store(CounterProperties properties) {
		return new CounterStore(this.redis, keys(properties),
				new ServedCounters(new ServedCountersProperties(List.of(), 1000)));
	}

	static CounterKeys keys(CounterProperties properties) {
		return new CounterKeys(properties.keyPrefix(), new KeyedHasher(properties.effectiveIdSecret()));
	}

	static Result register(RegistrationScript script, String counter, String visitorId) {
		return script.register(counter, visitorId, ADDRESS, true);
	}

	static void assertVisit(Result result, long count, Outcome outcome) {
		assertThat(result.count()).as("count").isEqualTo(count);
		assertThat(result.outcome()).as("outcome").isEqualTo(outcome);
	}

	/** Every key of every counter; the registry of their names aside. */
	Set<String> allKeys() {
		Set<String> keys = new HashSet<>(keys("*"));
		keys.removeIf((key) -> key.contains("{=registry}"));
		return keys;
	}

	Set<String> keys(String pattern) {
		return this.redis.execute((RedisConnection connection) -> {
			List<String> keys = new ArrayList<>();
			try (Cursor<byte[]> cursor = connection.keyCommands()
				.scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
				cursor.forEachRemaining((key) -> keys.add(new String(key)));
			}
			return Set.copyOf(keys);
		});
	}

	/** The buckets of a counter's dedupe sets, of every generation. */
	Set<String> buckets(String counter) {
		return keys("visitors:{" + counter + "}:v*:*");
	}

	/** The visitors a counter's dedupe sets hold, of every generation. */
	long visitorsInBuckets(String counter) {
		return buckets(counter).stream().mapToLong((bucket) -> this.redis.opsForSet().size(bucket)).sum();
	}

}
