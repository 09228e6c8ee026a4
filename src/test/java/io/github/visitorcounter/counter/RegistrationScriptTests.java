package io.github.visitorcounter.counter;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.github.visitorcounter.counter.RegistrationScript.Limits;
import io.github.visitorcounter.counter.RegistrationScript.Outcome;
import io.github.visitorcounter.counter.RegistrationScript.Result;
import io.github.visitorcounter.testing.TestRedisConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.data.redis.test.autoconfigure.DataRedisTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The storage path against a real Redis: the registration script with its dedupe, budget
 * and cap.
 */
@DataRedisTest
@Import(TestRedisConfiguration.class)
class RegistrationScriptTests {

	private static final String ALICE = "0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a";

	private static final String BOB = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

	private static final String ADDRESS = "198.51.100.7";

	private static final CounterProperties DEFAULTS = new CounterProperties("visitors", null, null);

	private static final Limits NO_LIMITS = new Limits(0, Duration.ofSeconds(10), 0, Duration.ofHours(1));

	@Autowired
	private StringRedisTemplate redis;

	private RegistrationScript script;

	@BeforeEach
	void emptyRedis() {
		TestRedisConfiguration.flushAll(this.redis);
		this.script = script(DEFAULTS, NO_LIMITS);
	}

	@Test
	void countsANewVisitor() {
		assertVisit(register(this.script, "default", ALICE), 1, Outcome.NEW);
		assertVisit(register(this.script, "default", BOB), 2, Outcome.NEW);
		assertThat(store(DEFAULTS).count("default")).isEqualTo(2);
	}

	@Test
	void countsARefreshOnce() {
		register(this.script, "default", ALICE);
		assertVisit(register(this.script, "default", ALICE), 1, Outcome.RETURNING);
		assertVisit(register(this.script, "default", ALICE), 1, Outcome.RETURNING);
		assertThat(store(DEFAULTS).count("default")).isEqualTo(1);
	}

	@Test
	void keepsCountersIndependent() {
		register(this.script, "blog", ALICE);
		register(this.script, "blog", BOB);
		assertVisit(register(this.script, "docs", ALICE), 1, Outcome.NEW);
		CounterStore store = store(DEFAULTS);
		assertThat(store.count("blog")).isEqualTo(2);
		assertThat(store.count("docs")).isEqualTo(1);
		assertThat(store.count("never-hit")).isZero();
	}

	@Test
	void neverDoubleCountsAReplayedScript() {
		// Lettuce re-sends a command whose reply was lost in a reconnect: the replay must
		// be harmless.
		CounterKeys keys = keys(DEFAULTS);
		List<String> scriptKeys = List.of(keys.count("default"), keys.seen("default", keys.digest(ALICE)),
				keys.requests("default", keys.digest(ADDRESS)), keys.newVisitors("default", keys.digest(ADDRESS)),
				keys.day("default", LocalDate.of(2025, 3, 1)), keys.changes("default"));
		Object[] args = { "0", "30", "10000", "50", "3600000", "34560000", "SPUBLISH", "1", "token-1",
				keys.digest(ALICE) };
		assertThat(this.redis.execute(LuaScripts.returningIntegers("register-visit.lua"), scriptKeys, args))
			.startsWith(1L, 1L, 29L);
		assertThat(this.redis.execute(LuaScripts.returningIntegers("register-visit.lua"), scriptKeys, args))
			.startsWith(0L, 1L, 29L);
		assertThat(this.redis.opsForZSet().size(keys.newVisitors("default", keys.digest(ADDRESS)))).isOne();
		assertThat(this.redis.opsForHyperLogLog().size(keys.day("default", LocalDate.of(2025, 3, 1)))).isOne();
	}

	@Test
	void storesDigestsNeverRawIdsOrAddresses() {
		RegistrationScript limited = script(DEFAULTS, new Limits(30, Duration.ofSeconds(10), 50, Duration.ofHours(1)));
		register(limited, "default", ALICE);
		register(limited, "blog", BOB);
		Set<String> keys = allKeys();
		assertThat(keys).hasSize(10)
			.contains("visitors:{default}:count", "visitors:{blog}:count")
			.allSatisfy((key) -> assertThat(key).doesNotContain(ALICE).doesNotContain(BOB).doesNotContain(ADDRESS))
			.filteredOn((key) -> !key.endsWith(":count") && !key.contains(":day:"))
			.allSatisfy((key) -> assertThat(key)
				.matches("visitors:\\{(default|blog)\\}:(seen|requests|new):[A-Za-z0-9_-]{22}"));
		assertThat(keys).filteredOn((key) -> key.contains(":day:"))
			.allSatisfy((key) -> assertThat(key).matches("visitors:\\{(default|blog)\\}:day:\\d{4}-\\d{2}-\\d{2}"));
		assertThat(keys).filteredOn((key) -> key.contains(":seen:") || key.endsWith(":count"))
			.allSatisfy((key) -> assertThat(this.redis.opsForValue().get(key)).doesNotContain(ALICE));
	}

	@Test
	void keepsSeenKeysForeverByDefault() {
		register(this.script, "default", ALICE);
		assertThat(allKeys()).filteredOn((key) -> key.contains(":seen:") || key.endsWith(":count"))
			.hasSize(2)
			.allSatisfy((key) -> assertThat(this.redis.getExpire(key)).isEqualTo(-1));
	}

	@Test
	void countsAVisitorAgainOnceItsDedupeWindowExpired() {
		RegistrationScript script = script(new CounterProperties("visitors", Duration.ofSeconds(1), null), NO_LIMITS);
		assertThat(register(script, "default", ALICE).outcome()).isEqualTo(Outcome.NEW);
		assertThat(register(script, "default", ALICE).outcome()).isEqualTo(Outcome.RETURNING);
		String seenKey = allKeys().stream().filter((key) -> key.contains(":seen:")).findFirst().orElseThrow();
		assertThat(this.redis.getExpire(seenKey)).isBetween(0L, 1L);
		assertThat(this.redis.getExpire("visitors:{default}:count")).isEqualTo(-1);
		await().atMost(Duration.ofSeconds(5)).until(() -> !Boolean.TRUE.equals(this.redis.hasKey(seenKey)));
		assertVisit(register(script, "default", ALICE), 2, Outcome.NEW);
	}

	@Test
	void usesTheConfiguredKeyPrefix() {
		CounterProperties siteA = new CounterProperties("site-a", null, "a-secret-of-sixteen-chars");
		register(script(siteA, NO_LIMITS), "default", ALICE);
		assertThat(allKeys()).hasSize(3).allSatisfy((key) -> assertThat(key).startsWith("site-a:{default}:"));
	}

	@Test
	void addsCountedAndReturningVisitorsToTheDaysUniquesButNotCappedOnes() {
		RegistrationScript capped = script(DEFAULTS, new Limits(0, Duration.ofSeconds(10), 1, Duration.ofHours(1)));
		register(capped, "default", ALICE);
		register(capped, "default", ALICE);
		assertThat(register(capped, "default", BOB).outcome()).isEqualTo(Outcome.CAPPED);
		String today = "visitors:{default}:day:" + LocalDate.now(ZoneOffset.UTC);
		assertThat(this.redis.opsForHyperLogLog().size(today)).isOne();
		assertThat(this.redis.getExpire(today)).isGreaterThan(Duration.ofDays(399).toSeconds());
	}

	@Test
	void refusesRequestsOverTheBudgetAndCountsNothing() {
		RegistrationScript budgeted = script(DEFAULTS, new Limits(3, Duration.ofSeconds(10), 0, Duration.ofHours(1)));
		for (int remaining = 2; remaining >= 0; remaining--) {
			Result result = register(budgeted, "default", UUID.randomUUID().toString());
			assertThat(result.remaining()).isEqualTo(remaining);
			assertThat(result.reset()).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
		}
		Result refused = register(budgeted, "default", ALICE);
		assertThat(refused.outcome()).isEqualTo(Outcome.OVER_BUDGET);
		assertThat(refused.reset()).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
		assertThat(store(DEFAULTS).count("default")).isEqualTo(3);
		assertVisit(budgeted.register("default", ALICE, "198.51.100.8", true), 4, Outcome.NEW);
	}

	@Test
	void stopsCountingNewVisitorsPastTheCapButStillAnswers() {
		RegistrationScript capped = script(DEFAULTS, new Limits(0, Duration.ofSeconds(10), 2, Duration.ofHours(1)));
		assertVisit(register(capped, "default", ALICE), 1, Outcome.NEW);
		assertVisit(register(capped, "default", BOB), 2, Outcome.NEW);
		assertVisit(register(capped, "default", UUID.randomUUID().toString()), 2, Outcome.CAPPED);
		assertVisit(register(capped, "default", ALICE), 2, Outcome.RETURNING);
		assertThat(allKeys()).filteredOn((key) -> key.contains(":seen:")).hasSize(2);
	}

	@Test
	void onlyReadsAVisitThatMayNotBeCounted() {
		assertVisit(this.script.register("default", ALICE, ADDRESS, false), 0, Outcome.NOT_COUNTABLE);
		assertThat(allKeys()).noneMatch((key) -> key.contains(":seen:") || key.endsWith(":count"));
	}

	@Test
	void letsLimiterStateExpire() {
		RegistrationScript limited = script(DEFAULTS, new Limits(5, Duration.ofSeconds(10), 5, Duration.ofMinutes(30)));
		register(limited, "default", ALICE);
		Set<String> keys = allKeys();
		String requests = keys.stream().filter((key) -> key.contains(":requests:")).findFirst().orElseThrow();
		String newVisitors = keys.stream().filter((key) -> key.contains(":new:")).findFirst().orElseThrow();
		assertThat(this.redis.getExpire(requests)).isBetween(1L, 10L);
		assertThat(this.redis.getExpire(newVisitors)).isBetween(1L, 1800L);
	}

	private RegistrationScript script(CounterProperties properties, Limits limits) {
		return new RegistrationScript(this.redis, keys(properties), properties,
				new DayProperties(ZoneOffset.UTC, Duration.ofDays(400)), new ChannelProperties(true), limits,
				Clock.systemUTC());
	}

	private CounterStore store(CounterProperties properties) {
		return new CounterStore(this.redis, keys(properties));
	}

	private static CounterKeys keys(CounterProperties properties) {
		return new CounterKeys(properties.keyPrefix(), new KeyedHasher(properties.effectiveIdSecret()));
	}

	private static Result register(RegistrationScript script, String counter, String visitorId) {
		return script.register(counter, visitorId, ADDRESS, true);
	}

	private static void assertVisit(Result result, long count, Outcome outcome) {
		assertThat(result.count()).as("count").isEqualTo(count);
		assertThat(result.outcome()).as("outcome").isEqualTo(outcome);
	}

	private Set<String> allKeys() {
		return this.redis.execute((RedisConnection connection) -> {
			List<String> keys = new ArrayList<>();
			try (Cursor<byte[]> cursor = connection.keyCommands().scan(ScanOptions.scanOptions().count(100).build())) {
				cursor.forEachRemaining((key) -> keys.add(new String(key)));
			}
			return Set.copyOf(keys);
		});
	}

}
