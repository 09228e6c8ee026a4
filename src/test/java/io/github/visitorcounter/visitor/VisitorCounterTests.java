package io.github.visitorcounter.visitor;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.github.visitorcounter.TestRedisConfiguration;
import io.github.visitorcounter.live.LiveProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.github.visitorcounter.privacy.Client;
import io.github.visitorcounter.privacy.CountingPolicy;
import io.github.visitorcounter.privacy.PrivacyProperties;
import io.github.visitorcounter.privacy.PrivacyProperties.BotFilter;
import io.github.visitorcounter.ratelimit.NewVisitorCapProperties;
import io.github.visitorcounter.ratelimit.OverBudgetClients;
import io.github.visitorcounter.ratelimit.RateLimitExceededException;
import io.github.visitorcounter.ratelimit.RateLimitProperties;
import io.github.visitorcounter.stats.StatsProperties;
import io.github.visitorcounter.visitor.VisitorCounter.Registration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.test.autoconfigure.DataRedisTest;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The storage path against a real Redis: the registration script with its dedupe, budget
 * and cap.
 */
@DataRedisTest
@EnableConfigurationProperties({ VisitorProperties.class, PrivacyProperties.class, RateLimitProperties.class,
		NewVisitorCapProperties.class, StatsProperties.class, LiveProperties.class })
@Import({ TestRedisConfiguration.class, VisitorConfiguration.class, VisitorCounter.class, CountingPolicy.class,
		OverBudgetClients.class, VisitMetrics.class, SimpleMeterRegistry.class })
class VisitorCounterTests {

	private static final String ALICE = "0b6f3c1e-8a4d-4c55-9a0e-1f2e3d4c5b6a";

	private static final String BOB = "01ARZ3NDEKTSV4RRFFQ69G5FAV";

	private static final String ADDRESS = "198.51.100.7";

	private static final Client BROWSER = new Client(ADDRESS, "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", false,
			false);

	private static final VisitorProperties DEFAULTS = new VisitorProperties("visitors", null, null, List.of());

	private static final RateLimitProperties NO_BUDGET = new RateLimitProperties(false, 30, Duration.ofSeconds(10));

	private static final NewVisitorCapProperties NO_CAP = new NewVisitorCapProperties(false, 50, Duration.ofHours(1));

	@Autowired
	private VisitorCounter visitorCounter;

	@Autowired
	private StringRedisTemplate redis;

	@Autowired
	private RedisScript<List<Long>> registerVisitScript;

	@BeforeEach
	void emptyRedis() {
		TestRedisConfiguration.flushAll(this.redis);
	}

	@Test
	void countsANewVisitor() {
		assertVisit(this.visitorCounter.register("default", ALICE, BROWSER), 1, true);
		assertVisit(this.visitorCounter.register("default", BOB, BROWSER), 2, true);
		assertThat(this.visitorCounter.count("default")).isEqualTo(2);
	}

	@Test
	void countsARefreshOnce() {
		this.visitorCounter.register("default", ALICE, BROWSER);
		assertVisit(this.visitorCounter.register("default", ALICE, BROWSER), 1, false);
		assertVisit(this.visitorCounter.register("default", ALICE, BROWSER), 1, false);
		assertThat(this.visitorCounter.count("default")).isEqualTo(1);
	}

	@Test
	void keepsCountersIndependent() {
		this.visitorCounter.register("blog", ALICE, BROWSER);
		this.visitorCounter.register("blog", BOB, BROWSER);
		assertVisit(this.visitorCounter.register("docs", ALICE, BROWSER), 1, true);
		assertThat(this.visitorCounter.count("blog")).isEqualTo(2);
		assertThat(this.visitorCounter.count("docs")).isEqualTo(1);
		assertThat(this.visitorCounter.count("never-hit")).isZero();
	}

	@Test
	void neverDoubleCountsAReplayedScript() {
		// Lettuce re-sends a command whose reply was lost in a reconnect: the replay must
		// be harmless.
		VisitorKeys keys = new VisitorKeys("visitors", new KeyedHasher("replay-test-secret-0123456789"));
		List<String> scriptKeys = List.of(keys.count("default"), keys.seen("default", keys.digest(ALICE)),
				keys.requests("default", keys.digest(ADDRESS)), keys.newVisitors("default", keys.digest(ADDRESS)),
				keys.day("default", LocalDate.of(2025, 3, 1)), keys.changes("default"));
		Object[] args = { "0", "1", "30", "10000", "50", "3600000", "token-1", keys.digest(ALICE), "34560000",
				"SPUBLISH" };
		assertThat(this.redis.execute(this.registerVisitScript, scriptKeys, args)).startsWith(1L, 1L, 29L);
		assertThat(this.redis.execute(this.registerVisitScript, scriptKeys, args)).startsWith(0L, 1L, 29L);
		assertThat(this.redis.opsForZSet().size(keys.newVisitors("default", keys.digest(ADDRESS)))).isOne();
		assertThat(this.redis.opsForHyperLogLog().size(keys.day("default", LocalDate.of(2025, 3, 1)))).isOne();
	}

	@Test
	void storesDigestsNeverRawIdsOrAddresses() {
		this.visitorCounter.register("default", ALICE, BROWSER);
		this.visitorCounter.register("blog", BOB, BROWSER);
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
		this.visitorCounter.register("default", ALICE, BROWSER);
		assertThat(allKeys()).filteredOn((key) -> key.contains(":seen:") || key.endsWith(":count"))
			.hasSize(2)
			.allSatisfy((key) -> assertThat(this.redis.getExpire(key)).isEqualTo(-1));
	}

	@Test
	void countsAVisitorAgainOnceItsDedupeWindowExpired() {
		VisitorCounter counter = counter(new VisitorProperties("visitors", Duration.ofSeconds(1), null, List.of()),
				NO_BUDGET, NO_CAP);
		assertThat(counter.register("default", ALICE, BROWSER).newVisitor()).isTrue();
		assertThat(counter.register("default", ALICE, BROWSER).newVisitor()).isFalse();
		String seenKey = allKeys().stream().filter((key) -> key.contains(":seen:")).findFirst().orElseThrow();
		assertThat(this.redis.getExpire(seenKey)).isBetween(0L, 1L);
		assertThat(this.redis.getExpire("visitors:{default}:count")).isEqualTo(-1);
		await().atMost(Duration.ofSeconds(5)).until(() -> !Boolean.TRUE.equals(this.redis.hasKey(seenKey)));
		assertVisit(counter.register("default", ALICE, BROWSER), 2, true);
	}

	@Test
	void usesTheConfiguredKeyPrefix() {
		VisitorCounter counter = counter(new VisitorProperties("site-a", null, "a-secret-of-sixteen-chars", List.of()),
				NO_BUDGET, NO_CAP);
		counter.register("default", ALICE, BROWSER);
		assertThat(allKeys()).hasSize(3).allSatisfy((key) -> assertThat(key).startsWith("site-a:{default}:"));
	}

	@Test
	void addsCountedAndReturningVisitorsToTheDaysUniquesButNotCappedOnes() {
		VisitorCounter counter = counter(DEFAULTS, NO_BUDGET,
				new NewVisitorCapProperties(true, 1, Duration.ofHours(1)));
		counter.register("default", ALICE, BROWSER);
		counter.register("default", ALICE, BROWSER);
		assertThat(counter.register("default", BOB, BROWSER).notCountedReason()).isEqualTo("new-visitor-cap");
		String today = "visitors:{default}:day:" + LocalDate.now(ZoneOffset.UTC);
		assertThat(this.redis.opsForHyperLogLog().size(today)).isOne();
		assertThat(this.redis.getExpire(today)).isGreaterThan(Duration.ofDays(399).toSeconds());
	}

	@Test
	void refusesRequestsOverTheBudgetAndCountsNothing() {
		VisitorCounter counter = counter(DEFAULTS, new RateLimitProperties(true, 3, Duration.ofSeconds(10)), NO_CAP);
		for (int remaining = 2; remaining >= 0; remaining--) {
			Registration registration = counter.register("default", UUID.randomUUID().toString(), BROWSER);
			assertThat(registration.rateLimit().limit()).isEqualTo(3);
			assertThat(registration.rateLimit().remaining()).isEqualTo(remaining);
			assertThat(registration.rateLimit().reset()).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
		}
		assertThatExceptionOfType(RateLimitExceededException.class)
			.isThrownBy(() -> counter.register("default", ALICE, BROWSER))
			.satisfies((ex) -> assertThat(ex.retryAfterSeconds()).isBetween(9L, 10L));
		assertThat(counter.count("default")).isEqualTo(3);
		Client otherAddress = new Client("198.51.100.8", BROWSER.userAgent(), false, false);
		assertVisit(counter.register("default", ALICE, otherAddress), 4, true);
	}

	@Test
	void answersAClientOverItsBudgetWithoutAskingRedisAgain() {
		VisitorCounter counter = counter(DEFAULTS, new RateLimitProperties(true, 1, Duration.ofSeconds(10)), NO_CAP);
		counter.register("default", ALICE, BROWSER);
		assertThatExceptionOfType(RateLimitExceededException.class)
			.isThrownBy(() -> counter.register("default", ALICE, BROWSER));
		TestRedisConfiguration.flushAll(this.redis);
		assertThatExceptionOfType(RateLimitExceededException.class)
			.isThrownBy(() -> counter.register("default", ALICE, BROWSER));
	}

	@Test
	void stopsCountingNewVisitorsPastTheCapButStillAnswers() {
		VisitorCounter counter = counter(DEFAULTS, NO_BUDGET,
				new NewVisitorCapProperties(true, 2, Duration.ofHours(1)));
		assertVisit(counter.register("default", ALICE, BROWSER), 1, true);
		assertVisit(counter.register("default", BOB, BROWSER), 2, true);
		Registration capped = counter.register("default", UUID.randomUUID().toString(), BROWSER);
		assertVisit(capped, 2, false);
		assertThat(capped.notCountedReason()).isEqualTo("new-visitor-cap");
		Registration returning = counter.register("default", ALICE, BROWSER);
		assertVisit(returning, 2, false);
		assertThat(returning.notCountedReason()).isNull();
		assertThat(allKeys()).filteredOn((key) -> key.contains(":seen:")).hasSize(2);
	}

	@Test
	void answersButDoesNotCountAVisitThePolicyRules() {
		Client crawler = new Client(ADDRESS, "Mozilla/5.0 (compatible; Googlebot/2.1)", false, false);
		Registration registration = this.visitorCounter.register("default", ALICE, crawler);
		assertVisit(registration, 0, false);
		assertThat(registration.notCountedReason()).isEqualTo("bot");
		assertThat(allKeys()).noneMatch((key) -> key.contains(":seen:") || key.endsWith(":count"));
	}

	@Test
	void letsLimiterStateExpire() {
		VisitorCounter counter = counter(DEFAULTS, new RateLimitProperties(true, 5, Duration.ofSeconds(10)),
				new NewVisitorCapProperties(true, 5, Duration.ofMinutes(30)));
		counter.register("default", ALICE, BROWSER);
		Set<String> keys = allKeys();
		String requests = keys.stream().filter((key) -> key.contains(":requests:")).findFirst().orElseThrow();
		String newVisitors = keys.stream().filter((key) -> key.contains(":new:")).findFirst().orElseThrow();
		assertThat(this.redis.getExpire(requests)).isBetween(1L, 10L);
		assertThat(this.redis.getExpire(newVisitors)).isBetween(1L, 1800L);
	}

	private VisitorCounter counter(VisitorProperties properties, RateLimitProperties rateLimit,
			NewVisitorCapProperties newVisitorCap) {
		PrivacyProperties privacy = new PrivacyProperties(false, new BotFilter(true, List.of("bot")), List.of());
		return new VisitorCounter(this.redis, this.registerVisitScript,
				new VisitorKeys(properties.keyPrefix(), new KeyedHasher(properties.effectiveIdSecret())), properties,
				new CountingPolicy(privacy), new OverBudgetClients(), rateLimit, newVisitorCap,
				new VisitMetrics(new SimpleMeterRegistry()), Clock.systemUTC(),
				new StatsProperties(ZoneOffset.UTC, Duration.ofDays(400)), new LiveProperties(true,
						Duration.ofSeconds(15), Duration.ofMillis(250), 1000, 10, Duration.ofMinutes(30)));
	}

	private static void assertVisit(Registration registration, long count, boolean newVisitor) {
		assertThat(registration.count()).as("count").isEqualTo(count);
		assertThat(registration.newVisitor()).as("newVisitor").isEqualTo(newVisitor);
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
