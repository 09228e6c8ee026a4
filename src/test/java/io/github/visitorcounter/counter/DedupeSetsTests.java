package io.github.visitorcounter.counter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import io.github.visitorcounter.counter.RegistrationScript.Outcome;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.ValueEncoding.RedisValueEncoding;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dedupe sets as a counter grows across levels and as generations of a dedupe TTL
 * come and go: every bucket stays an intset, and nobody is counted twice.
 */
class DedupeSetsTests extends RegistrationScriptTestSupport {

	private static final String STATE = "visitors:{default}:v";

	/** Visitors the dedupe sets hold when each level begins: 400 * (4^L - 1) / 3. */
	private static final long[] LEVEL_STARTS = LongStream.range(0, DedupeSets.LEVELS)
		.map((level) -> DedupeSets.BUCKET_FILL * ((1L << (2 * level)) - 1) / 3)
		.toArray();

	@Test
	void keepsEveryBucketAnIntsetAndCountsNobodyTwiceAcrossThreeLevelBoundaries() throws Exception {
		RegistrationScript script = script(DEFAULTS, NO_LIMITS);
		List<String> visitors = IntStream.range(0, 10_000).mapToObj((i) -> "growth-visitor-%06d".formatted(i)).toList();
		assertThat(registerAll(script, visitors)).containsOnlyKeys(Outcome.NEW);
		assertThat(store(DEFAULTS).count("default")).isEqualTo(10_000);
		assertThat(this.redis.opsForHash().entries(STATE)).containsEntry("entries", "10000").containsEntry("top", "3");
		Map<Integer, Long> visitorsByLevel = new TreeMap<>();
		for (String bucket : buckets("default")) {
			assertThat(encoding(bucket)).as(bucket).isEqualTo(RedisValueEncoding.INTSET);
			long size = this.redis.opsForSet().size(bucket);
			assertThat(size).as(bucket).isBetween(1L, (long) DedupeSets.BUCKET_CAPACITY);
			visitorsByLevel.merge(Integer.parseInt(bucket.split(":")[3]), size, Long::sum);
		}
		// 400 in the one bucket of level 0, 1,600 in the 4 of level 1, 6,400 in the 16
		// of level 2, the rest in level 3.
		assertThat(visitorsByLevel).containsExactly(Map.entry(0, 400L), Map.entry(1, 1_600L), Map.entry(2, 6_400L),
				Map.entry(3, 1_600L));

		assertThat(registerAll(script, visitors)).containsOnlyKeys(Outcome.RETURNING);
		assertThat(store(DEFAULTS).count("default")).isEqualTo(10_000);
		assertThat(visitorsInBuckets("default")).isEqualTo(10_000);
	}

	@Test
	void keepsNoStateWhileEveryVisitorFitsInLevelZero() throws Exception {
		RegistrationScript script = script(DEFAULTS, NO_LIMITS);
		List<String> visitors = IntStream.range(0, DedupeSets.BUCKET_FILL + 1)
			.mapToObj((i) -> "small-counter-visitor-%03d".formatted(i))
			.toList();
		assertThat(registerAll(script, visitors.subList(0, DedupeSets.BUCKET_FILL))).containsOnlyKeys(Outcome.NEW);
		assertThat(allKeys()).filteredOn((key) -> !key.contains(":day:"))
			.containsExactlyInAnyOrder("visitors:{default}:count", "visitors:{default}:v:0:0");
		assertThat(registerAll(script, visitors.subList(0, DedupeSets.BUCKET_FILL)))
			.containsOnlyKeys(Outcome.RETURNING);

		assertVisit(register(script, "default", visitors.get(DedupeSets.BUCKET_FILL)), DedupeSets.BUCKET_FILL + 1,
				Outcome.NEW);
		assertThat(this.redis.opsForHash().entries(STATE)).containsOnly(Map.entry("entries", "401"),
				Map.entry("top", "1"));
		assertThat(registerAll(script, visitors)).containsOnlyKeys(Outcome.RETURNING);
	}

	@Test
	void sendsAVisitorUpALevelWhileItsBucketIsFull() {
		CounterKeys keys = keys(DEFAULTS);
		List<String> alice = keys.dedupe("default", "", keys.visitor(ALICE));
		String other = IntStream.range(0, 100)
			.mapToObj((i) -> "other-visitor-" + i)
			.filter((id) -> keys.visitor(id).bucket(1) != keys.visitor(ALICE).bucket(1))
			.findFirst()
			.orElseThrow();
		List<String> others = keys.dedupe("default", "", keys.visitor(other));
		this.redis.opsForHash().putAll(STATE, Map.of("entries", "0", "top", "0"));
		fill(alice.get(1), DedupeSets.BUCKET_CAPACITY);
		fill(alice.get(2), DedupeSets.BUCKET_CAPACITY);
		RegistrationScript script = script(DEFAULTS, NO_LIMITS);

		// Level 0's bucket and Alice's of level 1 are full: she goes to level 2, the
		// other visitor to level 1.
		assertVisit(register(script, "default", ALICE), 1, Outcome.NEW);
		assertThat(this.redis.opsForSet().isMember(alice.get(3), keys.dedupeMember(ALICE))).isTrue();
		assertVisit(register(script, "default", other), 2, Outcome.NEW);
		assertThat(this.redis.opsForSet().isMember(others.get(2), keys.dedupeMember(other))).isTrue();

		assertThat(this.redis.opsForHash().entries(STATE)).containsEntry("entries", "2").containsEntry("top", "2");
		assertThat(List.of(alice.get(1), alice.get(2))).allSatisfy((bucket) -> {
			assertThat(this.redis.opsForSet().size(bucket)).isEqualTo(DedupeSets.BUCKET_CAPACITY);
			assertThat(encoding(bucket)).isEqualTo(RedisValueEncoding.INTSET);
		});
		assertVisit(register(script, "default", ALICE), 2, Outcome.RETURNING);
		assertVisit(register(script, "default", other), 2, Outcome.RETURNING);
	}

	@Test
	void beginsEachLevelAtItsSizeUpToTheTopLevelOfAHugeCounter() {
		RegistrationScript script = script(DEFAULTS, NO_LIMITS);
		CounterKeys keys = keys(DEFAULTS);
		int visitor = 0;
		for (int level = 1; level < DedupeSets.LEVELS; level++) {
			for (long entries : List.of(LEVEL_STARTS[level] - 1, LEVEL_STARTS[level])) {
				int expectedLevel = (entries < LEVEL_STARTS[level]) ? level - 1 : level;
				this.redis.opsForHash().putAll(STATE, Map.of("entries", Long.toString(entries), "top", "10"));
				String id = "huge-counter-visitor-" + visitor++;
				assertThat(register(script, "default", id).outcome()).isEqualTo(Outcome.NEW);
				String bucket = keys.dedupe("default", "", keys.visitor(id)).get(1 + expectedLevel);
				assertThat(this.redis.opsForSet().isMember(bucket, keys.dedupeMember(id)))
					.as("%s visitors: level %d", entries, expectedLevel)
					.isTrue();
			}
		}
		// Past the top level's start, visitors stay there; lookups find all of them.
		this.redis.opsForHash().put(STATE, "entries", "100000000000");
		String last = "huge-counter-visitor-" + visitor++;
		register(script, "default", last);
		assertThat(this.redis.opsForSet()
			.isMember(keys.dedupe("default", "", keys.visitor(last)).get(DedupeSets.LEVELS), keys.dedupeMember(last)))
			.isTrue();
		long count = store(DEFAULTS).count("default");
		assertThat(count).isEqualTo(visitor);
		for (int i = 0; i < visitor; i++) {
			assertVisit(register(script, "default", "huge-counter-visitor-" + i), count, Outcome.RETURNING);
		}
	}

	@Test
	void keepsAVisitorCountedForOneMoreGenerationWithoutRenewingIt() {
		Duration ttl = Duration.ofSeconds(2);
		RegistrationScript script = script(new CounterProperties("visitors", ttl, null), NO_LIMITS);
		long generation = awaitNextGeneration(ttl);
		assertVisit(register(script, "default", ALICE), 1, Outcome.NEW);

		assertThat(awaitNextGeneration(ttl)).isEqualTo(generation + 1);
		assertVisit(register(script, "default", ALICE), 1, Outcome.RETURNING);
		assertVisit(register(script, "default", BOB), 2, Outcome.NEW);
		// Two generations, each state and bucket expiring when its generation's second
		// period ends.
		Set<String> dedupeKeys = keys("visitors:{default}:v*");
		assertThat(dedupeKeys).hasSize(4);
		for (String state : dedupeKeys.stream().filter((key) -> key.split(":").length == 3).toList()) {
			long number = Long.parseLong((String) this.redis.opsForHash().get(state, "number"));
			assertThat(number).isIn(generation, generation + 1);
			long expiresAt = (number + 2) * ttl.toMillis() - 1;
			assertThat(this.redis.opsForHash().get(state, "expiresAt")).isEqualTo(Long.toString(expiresAt));
			assertThat(dedupeKeys).filteredOn((key) -> key.startsWith(state))
				.hasSize(2)
				.allSatisfy((
						key) -> assertThat(expiresAt - redisMillis() - this.redis.getExpire(key, TimeUnit.MILLISECONDS))
							.as("%s expires at %d", key, expiresAt)
							.isBetween(-50L, 50L));
		}

		assertThat(awaitNextGeneration(ttl)).isEqualTo(generation + 2);
		assertVisit(register(script, "default", ALICE), 3, Outcome.NEW);
		assertVisit(register(script, "default", BOB), 3, Outcome.RETURNING);
		assertThat(keys("visitors:{default}:v?")).hasSize(2);
	}

	private Map<Outcome, Long> registerAll(RegistrationScript script, List<String> visitors) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(4);
		try {
			List<Future<Outcome>> outcomes = new ArrayList<>();
			for (String visitor : visitors) {
				outcomes.add(threads.submit(() -> register(script, "default", visitor).outcome()));
			}
			List<Outcome> done = new ArrayList<>();
			for (Future<Outcome> outcome : outcomes) {
				done.add(outcome.get());
			}
			return done.stream().collect(Collectors.groupingBy((outcome) -> outcome, Collectors.counting()));
		}
		finally {
			threads.shutdownNow();
		}
	}

	private void fill(String bucket, int members) {
		this.redis.opsForSet()
			.add(bucket, LongStream.rangeClosed(1, members).mapToObj(Long::toString).toArray(String[]::new));
	}

	private RedisValueEncoding encoding(String key) {
		return (RedisValueEncoding) this.redis
			.execute((RedisConnection connection) -> connection.keyCommands().encodingOf(key.getBytes()));
	}

	private long redisMillis() {
		return this.redis.execute((RedisConnection connection) -> connection.serverCommands().time());
	}

	/**
	 * Waits until a tenth into the next generation by Redis' clock, and returns its
	 * number.
	 */
	private long awaitNextGeneration(Duration ttl) {
		long next = redisMillis() / ttl.toMillis() + 1;
		long wait = next * ttl.toMillis() + ttl.toMillis() / 10 - redisMillis();
		try {
			Thread.sleep(wait);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		return next;
	}

}
