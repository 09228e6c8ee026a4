package io.github.visitorcounter.counter;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.github.visitorcounter.counter.RegistrationScript.Limits;
import io.github.visitorcounter.counter.RegistrationScript.Outcome;
import io.github.visitorcounter.counter.RegistrationScript.Result;
import io.github.visitorcounter.testing.TestRedisConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage path against a real Redis: the registration script with its dedupe, budget
 * and cap.
 */
class RegistrationScriptTests extends RegistrationScriptTestSupport {

	private RegistrationScript script;

	@BeforeEach
	void defaultScript() {
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
		VisitorDigest alice = keys.visitor(ALICE);
		List<String> scriptKeys = new ArrayList<>(List.of(keys.count("default"),
				keys.requests("default", keys.digest(ADDRESS)), keys.newVisitors("default", keys.digest(ADDRESS)),
				keys.day("default", LocalDate.of(2025, 3, 1)), keys.changes("default"),
				keys.seen("default", alice.text()), keys.resetting("default")));
		scriptKeys.addAll(keys.dedupe("default", "", alice));
		this.redis.opsForValue().set(keys.count("default"), "0");
		Object[] args = { "0", "30", "10000", "50", "3600000", "34560000", "SPUBLISH", "400", "512", "1", "token-1",
				alice.text(), alice.memberText(), "", "10000", Long.toString(CounterStore.MAX_COUNT) };
		LuaScripts scripts = scripts();
		assertThat(this.redis.execute(scripts.returningIntegers(RegistrationScript.SCRIPT), scriptKeys, args))
			.startsWith(1L, 1L, 29L);
		assertThat(this.redis.execute(scripts.returningIntegers(RegistrationScript.SCRIPT), scriptKeys, args))
			.startsWith(0L, 1L, 29L);
		assertThat(this.redis.opsForZSet().size(keys.newVisitors("default", keys.digest(ADDRESS)))).isOne();
		assertThat(this.redis.opsForHyperLogLog().size(keys.day("default", LocalDate.of(2025, 3, 1)))).isOne();
		assertThat(visitorsInBuckets("default")).isOne();
	}

	@Test
	void storesDigestsNeverRawIdsOrAddresses() {
		RegistrationScript limited = script(DEFAULTS, new Limits(30, Duration.ofSeconds(10), 50, Duration.ofHours(1)));
		register(limited, "default", ALICE);
		register(limited, "blog", BOB);
		Set<String> keys = allKeys();
		assertThat(keys).hasSize(10)
			.contains("visitors:{default}:count", "visitors:{blog}:count", "visitors:{default}:v:0:0",
					"visitors:{blog}:v:0:0")
			.allSatisfy((key) -> assertThat(key).doesNotContain(ALICE).doesNotContain(BOB).doesNotContain(ADDRESS))
			.filteredOn((key) -> key.contains(":requests:") || key.contains(":new:"))
			.hasSize(4)
			.allSatisfy(
					(key) -> assertThat(key).matches("visitors:\\{(default|blog)\\}:(requests|new):[A-Za-z0-9_-]{22}"));
		assertThat(keys).filteredOn((key) -> key.contains(":day:"))
			.allSatisfy((key) -> assertThat(key).matches("visitors:\\{(default|blog)\\}:day:\\d{4}-\\d{2}-\\d{2}"));
		// A visitor is a 64-bit integer in a bucket, from the keyed digest of its id.
		assertThat(this.redis.opsForSet().members("visitors:{default}:v:0:0"))
			.containsExactly(keys(DEFAULTS).dedupeMember(ALICE))
			.allSatisfy((member) -> assertThat(Long.parseLong(member)).isNotZero());
		assertThat(this.redis.opsForSet().members("visitors:{blog}:v:0:0"))
			.containsExactly(keys(DEFAULTS).dedupeMember(BOB));
	}

	@Test
	void keepsTheDedupeSetsForeverByDefault() {
		register(this.script, "default", ALICE);
		assertThat(allKeys()).filteredOn((key) -> !key.contains(":day:"))
			.containsExactlyInAnyOrder("visitors:{default}:count", "visitors:{default}:v:0:0")
			.allSatisfy((key) -> assertThat(this.redis.getExpire(key)).isEqualTo(-1));
	}

	@Test
	void countsAVisitorAgainBetweenOneAndTwoDedupeWindowsAfterItWasCounted() {
		Duration ttl = Duration.ofSeconds(1);
		RegistrationScript script = script(new CounterProperties("visitors", ttl, null), NO_LIMITS);
		assertThat(register(script, "default", ALICE).outcome()).isEqualTo(Outcome.NEW);
		long counted = System.nanoTime();
		Result again = register(script, "default", ALICE);
		if (Duration.ofNanos(System.nanoTime() - counted).compareTo(ttl) < 0) {
			assertThat(again.outcome()).as("within one window").isEqualTo(Outcome.RETURNING);
		}
		// One generation, its state and its bucket expiring together, at most two windows
		// on.
		assertThat(allKeys()).filteredOn((key) -> key.contains(":v"))
			.hasSize(2)
			.allSatisfy((key) -> assertThat(this.redis.getExpire(key, TimeUnit.MILLISECONDS)).isBetween(1L,
					2 * ttl.toMillis()));
		assertThat(this.redis.getExpire("visitors:{default}:count")).isEqualTo(-1);
		sleep(ttl.multipliedBy(2).minus(Duration.ofNanos(System.nanoTime() - counted)).plusMillis(50));
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
		assertThat(visitorsInBuckets("default")).isEqualTo(2);
	}

	@Test
	void onlyReadsAVisitThatMayNotBeCounted() {
		assertVisit(this.script.register("default", ALICE, ADDRESS, false), 0, Outcome.NOT_COUNTABLE);
		assertThat(allKeys()).noneMatch((key) -> key.contains(":v") || key.endsWith(":count"));
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

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(Math.max(0, duration.toMillis()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
